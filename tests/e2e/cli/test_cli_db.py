"""`project db upgrade|downgrade|current`, as real processes, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from project.adapters.sql import head

if TYPE_CHECKING:  # conftest is pytest's to import; only its type is borrowed here
    from conftest import Cli, MakeCli


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_db_cli(request: pytest.FixtureRequest, make_cli: MakeCli) -> Cli:
    """The CLI on a database that was never migrated (PostgreSQL: a fresh one per test)."""
    if request.param == "postgres":
        return make_cli(PROJECT_DATABASE_URL=request.getfixturevalue("fresh_postgres_url"))
    return make_cli()


def _current(cli: Cli) -> dict[str, object]:
    done = cli.invoke("db", "current", "--json")
    assert done.exit_code == 0, done.stderr
    state: dict[str, object] = json.loads(done.stdout)
    return state


def test_upgrade_downgrade_to_base_and_upgrade_again(empty_db_cli: Cli) -> None:
    cli = empty_db_cli
    newest = head()
    empty = _current(cli)
    assert empty == {
        "database": empty["database"],
        "current": None,
        "head": newest,
        "is_head": False,
    }
    plain = cli("db", "current")
    assert plain.stdout.strip() == f"base (empty); head is {newest}"

    up = cli("db", "upgrade")
    assert up.returncode == 0, up.stderr
    assert up.stdout.strip().endswith(f"is at {newest} (head)")
    assert _current(cli)["is_head"] is True
    assert cli.invoke("db", "current").stdout.strip() == f"{newest} (head)"

    # The schema works: an account can be created and listed.
    made = cli(
        "users", "create", "ann@example.com", "--password-stdin", input="a long passphrase 1\n"
    )
    assert made.returncode == 0, made.stderr

    down = cli("db", "downgrade", "base")
    assert down.returncode == 0, down.stderr
    assert _current(cli)["current"] is None

    again = cli("db", "upgrade", "head")
    assert again.returncode == 0, again.stderr
    assert _current(cli)["current"] == newest
    assert json.loads(cli.invoke("users", "list", "--json").stdout) == []  # base dropped the data


def test_database_urls_are_printed_masked(make_cli: MakeCli) -> None:
    cli = make_cli(PROJECT_DATABASE_URL="postgresql://postgres:secretpw@127.0.0.1:1/nope")
    for args in (["db", "upgrade"], ["db", "downgrade", "base"], ["db", "current"]):
        done = cli(*args)
        assert done.returncode == 4, args
        line = cli.error_line(done)
        assert "postgres:***@127.0.0.1:1/nope" in line
        assert "secretpw" not in done.stdout + done.stderr


def test_an_unknown_revision_is_one_line(sqlite_cli: Cli) -> None:
    done = sqlite_cli("db", "upgrade", "nonexistent")
    assert done.returncode != 0
    sqlite_cli.error_line(done)
