"""`project import` and `project export` against SQLite and PostgreSQL, in real processes."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # conftest is pytest's to import; only its type is borrowed here
    from conftest import Cli

PASSWORD = "a long passphrase 123\n"
HEADER = (
    "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n"
    '<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">\n'
    "<TITLE>Bookmarks</TITLE>\n<H1>Bookmarks</H1>\n<DL><p>\n"
)
FOOTER = "</DL><p>\n"
WORDS = ["python", "rust", "news", "recipes", "music", "travel", "maths", "design"]
BASE_TIME = 1_600_000_000
FOLDER_SIZE = 1_000
# What must survive an export and a re-import: url, title, tags, flags and dates.
COMPARED = ["url", "title", "description", "tags", "unread", "archived", "favorite"]
COMPARED += ["created_at", "updated_at"]


def _anchor(url: str, title: str, **attrs: object) -> str:
    shown = "".join(f' {name.upper()}="{html.escape(str(v))}"' for name, v in attrs.items())
    return f'<DT><A HREF="{html.escape(url)}"{shown}>{html.escape(title)}</A>\n'


def _entry(i: int) -> str:
    tags = ",".join(WORDS[(i + k) % len(WORDS)] for k in range(i % 4))
    anchor = _anchor(
        f"https://site{i % 97}.example.com/articles/{i}?utm_source=feed",
        f"Article {i} on {WORDS[i % len(WORDS)]}",
        add_date=BASE_TIME + i * 60,
        last_modified=BASE_TIME + i * 60 + 30,
        tags=tags,
        toread=int(i % 3 == 0),
        private=1,
    )
    described = f"<DD>Notes on {WORDS[(i * 7) % len(WORDS)]} &amp; more, #{i}\n" if i % 2 else ""
    return anchor + described


def netscape(entries: Iterable[str]) -> str:
    return HEADER + "".join(entries) + FOOTER


def write_generated(path: Path, count: int) -> Path:
    """`count` distinct entries in folders of a thousand, written as they are made."""
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        for i in range(count):
            if i % FOLDER_SIZE == 0:
                out.write(f"<DT><H3>Folder {i // FOLDER_SIZE}</H3>\n<DL><p>\n")
            out.write(_entry(i))
            if i % FOLDER_SIZE == FOLDER_SIZE - 1 or i == count - 1:
                out.write("</DL><p>\n")
        out.write(FOOTER)
    return path


@pytest.fixture
def user(cli: Cli, email: Callable[[str], str]) -> Callable[[str], str]:
    """Makes an account and returns its email."""

    def make(name: str) -> str:
        address = email(name)
        made = cli.invoke("users", "create", address, "--password-stdin", input=PASSWORD)
        assert made.exit_code == 0, made.stderr
        return address

    return make


def _report(outcome: Any) -> dict[str, Any]:
    assert outcome.returncode == 0, outcome.stderr
    report: dict[str, Any] = json.loads(outcome.stdout)
    return report


def _jsonl(cli: Cli, owner: str) -> list[dict[str, Any]]:
    done = cli("export", "--user", owner, "--format", "jsonl")
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def _comparable(rows: list[dict[str, Any]]) -> set[tuple[Any, ...]]:
    return {
        tuple(tuple(sorted(row[f])) if f == "tags" else row[f] for f in COMPARED) for row in rows
    }


def test_a_generated_file_of_10k_entries_round_trips(
    cli: Cli, user: Callable[[str], str], tmp_path: Path
) -> None:
    source = write_generated(tmp_path / "browser.html", 10_000)
    ann, bob = user("ann"), user("bob")

    imported = cli("import", str(source), "--user", ann, "--folders-as-tags")
    assert imported.returncode == 0, imported.stderr
    header, totals = imported.stdout.splitlines()[:2]
    assert header.split() == ["CREATED", "UPDATED", "SKIPPED", "INVALID"]
    assert totals.split() == ["10000", "0", "0", "0"]
    assert "browser.html" in imported.stderr  # the progress bar, in its final state
    assert "created 10000" in imported.stderr
    assert "Traceback" not in imported.stderr

    exported = tmp_path / "out" / "export.html"
    exported.parent.mkdir()
    written = cli("export", "--user", ann, "-o", str(exported))
    assert written.returncode == 0, written.stderr
    assert exported.read_text(encoding="utf-8").startswith("<!DOCTYPE NETSCAPE-Bookmark-file-1>")
    assert [p.name for p in exported.parent.iterdir()] == ["export.html"]  # no temp file left

    again = _report(cli("import", str(exported), "--user", bob, "--json"))
    assert (again["created"], again["skipped"], again["invalid_count"]) == (10_000, 0, 0)

    anns, bobs = _jsonl(cli, ann), _jsonl(cli, bob)
    assert len(anns) == 10_000
    assert _comparable(anns) == _comparable(bobs)
    (sample,) = [row for row in anns if re.search(r"/articles/3(\?|$)", row["url"])]
    assert sample["title"] == "Article 3 on recipes"
    assert sorted(sample["tags"]) == ["folder-0", "music", "recipes", "travel"]
    assert sample["unread"] is True


def test_duplicates_in_a_file_are_skipped_and_a_second_import_skips_all(
    cli: Cli, user: Callable[[str], str], tmp_path: Path
) -> None:
    source = tmp_path / "dupes.html"
    source.write_text(
        netscape(
            [
                _anchor("https://example.com/a", "A"),
                _anchor("https://EXAMPLE.com/a#top", "A again"),
                _anchor("https://example.com/a?utm_medium=x", "A with tracking"),
                _anchor("https://example.com/b", "B"),
                _anchor("https://example.com/c", "C"),
            ]
        ),
        encoding="utf-8",
    )
    owner = user("dupes")

    first = _report(cli("import", str(source), "--user", owner, "--json"))
    assert (first["created"], first["skipped"], first["updated"]) == (3, 2, 0)
    assert {row["title"] for row in _jsonl(cli, owner)} == {"A", "B", "C"}  # the first wins

    second = _report(cli("import", str(source), "--user", owner, "--json"))
    assert (second["created"], second["skipped"]) == (0, 5)


def test_mode_update_takes_the_files_values_and_merges_tags(
    cli: Cli, user: Callable[[str], str], tmp_path: Path
) -> None:
    owner = user("updates")
    before = tmp_path / "before.html"
    before.write_text(netscape([_anchor("https://example.com/u", "Old", tags="keep")]), "utf-8")
    after = tmp_path / "after.html"
    after.write_text(
        netscape([_anchor("https://example.com/u", "New title", tags="added", toread=1)]), "utf-8"
    )
    assert _report(cli("import", str(before), "--user", owner, "--json"))["created"] == 1

    skipped = _report(cli("import", str(after), "--user", owner, "--json"))
    assert (skipped["updated"], skipped["skipped"]) == (0, 1)
    updated = _report(cli("import", str(after), "--user", owner, "--json", "--mode", "update"))
    assert (updated["created"], updated["updated"]) == (0, 1)

    (row,) = _jsonl(cli, owner)
    assert row["title"] == "New title"
    assert sorted(row["tags"]) == ["added", "keep"]
    assert row["unread"] is True


def test_a_malformed_file_reports_its_invalid_entries_and_succeeds(
    cli: Cli, user: Callable[[str], str], tmp_path: Path
) -> None:
    bad = [_anchor(f"javascript:alert({i})", f"bad {i}") for i in range(25)]
    source = tmp_path / "broken.html"
    source.write_text(
        "<DL><p><DT><A>no address</A>\n<DT><A HREF='ftp://example.com/x'>ftp</A><DD>unclosed"
        + "".join(bad)
        + _anchor("https://example.com/ok", "fine")
        + "<DT><H3>never closed <A HREF=",
        encoding="utf-8",
    )
    owner = user("broken")

    done = cli("import", str(source), "--user", owner)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[1].split() == ["1", "0", "0", "27"]
    assert lines[3].split()[:2] == ["POSITION", "URL"]
    assert len(lines[4:-1]) == 20  # at most twenty shown ...
    assert lines[-1] == "... and 7 more"  # ... and the rest counted
    assert "javascript:alert(0)" in done.stdout

    as_json = _report(cli("import", str(source), "--user", owner, "--json"))
    assert as_json["invalid_count"] == 27
    assert all(entry["reason"] for entry in as_json["invalid"])


def test_a_missing_or_unreadable_file_is_a_usage_error(
    cli: Cli, user: Callable[[str], str], tmp_path: Path
) -> None:
    owner = user("nofile")
    missing = cli("import", str(tmp_path / "nope.html"), "--user", owner)
    assert missing.returncode == 2
    assert "nope.html" in cli.error_line(missing)

    directory = cli("import", str(tmp_path), "--user", owner)
    assert directory.returncode == 2
    assert "cannot read" in cli.error_line(directory)


def test_an_unknown_user_is_refused_in_one_line(
    cli: Cli, email: Callable[[str], str], tmp_path: Path
) -> None:
    source = tmp_path / "one.html"
    source.write_text(netscape([_anchor("https://example.com/", "x")]), "utf-8")
    ghost = email("ghost")

    imported = cli("import", str(source), "--user", ghost)
    assert imported.returncode == 1
    assert "No user" in cli.error_line(imported)

    target = tmp_path / "out" / "kept.html"
    target.parent.mkdir()
    target.write_text("what was here before", "utf-8")
    exported = cli("export", "--user", ghost, "-o", str(target))
    assert exported.returncode == 1
    assert "No user" in cli.error_line(exported)
    assert target.read_text("utf-8") == "what was here before"  # untouched
    assert [p.name for p in target.parent.iterdir()] == ["kept.html"]  # no temp file left


def test_export_streams_to_stdout_and_refuses_an_unwritable_target(
    cli: Cli, user: Callable[[str], str], tmp_path: Path
) -> None:
    owner = user("stdout")
    source = tmp_path / "two.html"
    source.write_text(
        netscape([_anchor("https://example.com/1", "one"), _anchor("https://example.com/2", "2")]),
        "utf-8",
    )
    assert _report(cli("import", str(source), "--user", owner, "--json"))["created"] == 2

    html_out = cli("export", "--user", owner)
    assert html_out.returncode == 0, html_out.stderr
    assert html_out.stdout.startswith("<!DOCTYPE NETSCAPE-Bookmark-file-1>")
    assert html_out.stdout.count("<A HREF=") == 2

    nowhere = cli("export", "--user", owner, "-o", str(tmp_path / "no" / "such" / "dir.html"))
    assert nowhere.returncode == 2
    assert "cannot write" in cli.error_line(nowhere)
