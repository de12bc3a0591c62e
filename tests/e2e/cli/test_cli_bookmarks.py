"""`project bookmarks list` against SQLite and PostgreSQL (in-process, through Typer's runner)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # conftest is pytest's to import; only its type is borrowed here
    from conftest import Cli

PASSWORD = "a long passphrase 123\n"
FILE = """<!DOCTYPE NETSCAPE-Bookmark-file-1>
<DL><p>
<DT><A HREF="https://docs.python.org/3/" ADD_DATE="1700000100" TAGS="python,docs">Python docs</A>
<DT><A HREF="https://peps.python.org/pep-0008/" ADD_DATE="1700000200" TAGS="python"
 TOREAD="1">PEP 8</A>
<DD>The style guide
<DT><A HREF="https://doc.rust-lang.org/book/" ADD_DATE="1700000300" TAGS="rust,docs"
 >The Rust book</A>
<DT><A HREF="https://example.com/recipes" ADD_DATE="1700000400">Recipes</A>
</DL><p>
"""


@pytest.fixture
def owner(cli: Cli, email: Callable[[str], str], tmp_path: Path) -> str:
    """An account with four imported bookmarks."""
    address = email("lister")
    made = cli.invoke("users", "create", address, "--password-stdin", input=PASSWORD)
    assert made.exit_code == 0, made.stderr
    source = tmp_path / "four.html"
    source.write_text(FILE, encoding="utf-8")
    imported = cli.invoke("import", str(source), "--user", address, "--json")
    assert imported.exit_code == 0, imported.stderr
    assert json.loads(imported.stdout)["created"] == 4
    return address


def _listed(cli: Cli, owner: str, *args: str) -> list[dict[str, Any]]:
    done = cli.invoke("bookmarks", "list", "--user", owner, "--json", *args)
    assert done.exit_code == 0, done.stderr
    rows: list[dict[str, Any]] = json.loads(done.stdout)
    return rows


def test_a_tag_query_finds_exactly_the_tagged_bookmarks(cli: Cli, owner: str) -> None:
    assert [row["title"] for row in _listed(cli, owner, "-q", "#python")] == [
        "PEP 8",
        "Python docs",
    ]
    assert {row["title"] for row in _listed(cli, owner, "-q", "#docs -#rust")} == {"Python docs"}
    assert [row["title"] for row in _listed(cli, owner, "-q", "is:unread")] == ["PEP 8"]
    assert _listed(cli, owner, "-q", "#nothing-has-this") == []


def test_json_carries_the_fields_and_the_table_the_columns(cli: Cli, owner: str) -> None:
    (pep,) = _listed(cli, owner, "-q", "#python is:unread")
    assert pep["url"] == "https://peps.python.org/pep-0008/"
    assert pep["tags"] == ["python"]
    assert pep["description"] == "The style guide"
    assert (pep["unread"], pep["archived"], pep["favorite"]) == (True, False, False)
    assert pep["created_at"].startswith("2023-11-14T22:")

    table = cli.invoke("bookmarks", "list", "--user", owner, "-q", "#python")
    assert table.exit_code == 0, table.stderr
    header, first, second = table.stdout.splitlines()
    assert header.split() == ["TITLE", "URL", "TAGS", "FLAGS", "CREATED"]
    assert first.split()[:6] == [
        "PEP",
        "8",
        "https://peps.python.org/pep-0008/",
        "python",
        "unread",
        "2023-11-14",
    ]
    assert "docs,python" in second


def test_sort_limit_and_cursor_walk_every_bookmark_once(cli: Cli, owner: str) -> None:
    assert [row["title"] for row in _listed(cli, owner, "--sort", "title")] == [
        "PEP 8",
        "Python docs",
        "Recipes",
        "The Rust book",
    ]
    first = cli.invoke("bookmarks", "list", "--user", owner, "--json", "--limit", "3")
    assert first.exit_code == 0, first.stderr
    assert len(json.loads(first.stdout)) == 3
    hint = first.stderr.strip()
    assert hint.startswith("more: --cursor ")
    rest = _listed(cli, owner, "--limit", "3", "--cursor", hint.removeprefix("more: --cursor "))
    assert [row["title"] for row in rest] == ["Python docs"]  # the oldest, last


def test_listing_errors_are_one_line(cli: Cli, owner: str, email: Callable[[str], str]) -> None:
    ghost = cli.invoke("bookmarks", "list", "--user", email("ghost"))
    assert ghost.exit_code == 1
    assert "No user" in cli.error_line(ghost)

    bad_cursor = cli.invoke("bookmarks", "list", "--user", owner, "--cursor", "garbage")
    assert bad_cursor.exit_code == 1
    assert "cursor" in cli.error_line(bad_cursor)
