"""`project users ...` against SQLite and PostgreSQL (in-process, through Typer's runner)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # conftest is pytest's to import; only its type is borrowed here
    from conftest import Cli

PASSWORD = "a long passphrase 123\n"


def _users(cli: Cli) -> dict[str, dict[str, object]]:
    listed = cli.invoke("users", "list", "--json", "--limit", "500")
    assert listed.exit_code == 0, listed.stderr
    return {user["email"]: user for user in json.loads(listed.stdout)}


def test_create_lists_and_refuses_a_second_account_with_the_email(
    cli: Cli, email: Callable[[str], str]
) -> None:
    ann = email("ann")
    made = cli.invoke(
        "users",
        "create",
        ann.upper(),
        "--admin",
        "--display-name",
        "Ann",
        "--password-stdin",
        input=PASSWORD,
    )
    assert made.exit_code == 0, made.stderr
    assert f"created admin {ann}" in made.stdout

    again = cli.invoke("users", "create", ann, "--password-stdin", input=PASSWORD)
    assert again.exit_code == 1
    assert "already exists" in cli.error_line(again)

    listed = _users(cli)[ann]
    assert listed["role"] == "admin"
    assert listed["status"] == "active"
    assert listed["display_name"] == "Ann"
    assert "password_hash" not in listed

    table = cli.invoke("users", "list")
    assert table.stdout.splitlines()[0].split()[:3] == ["ID", "EMAIL", "DISPLAY"]
    assert any(ann in line and "admin" in line for line in table.stdout.splitlines())


def test_create_rejects_bad_input_in_one_line(cli: Cli, email: Callable[[str], str]) -> None:
    weak = cli.invoke("users", "create", email("bob"), "--password-stdin", input="password\n")
    assert weak.exit_code == 1
    assert "at least 10 characters" in cli.error_line(weak)

    invalid = cli.invoke("users", "create", "not an email", "--password-stdin", input=PASSWORD)
    assert invalid.exit_code == 1
    cli.error_line(invalid)

    empty = cli.invoke("users", "create", email("bob"), "--password-stdin", input="")
    assert empty.exit_code == 2
    assert "no password on standard input" in cli.error_line(empty)


def test_create_without_a_terminal_or_password_stdin_is_a_usage_error(
    cli: Cli, email: Callable[[str], str]
) -> None:
    done = cli.invoke("users", "create", email("carl"))
    assert done.exit_code == 2
    assert "--password-stdin" in cli.error_line(done)


def test_role_status_password_and_delete(cli: Cli, email: Callable[[str], str]) -> None:
    admin, dora = email("admin"), email("dora")
    for address, flags in ((admin, ["--admin"]), (dora, [])):
        made = cli.invoke("users", "create", address, *flags, "--password-stdin", input=PASSWORD)
        assert made.exit_code == 0, made.stderr

    promoted = cli.invoke("users", "set-role", dora, "admin")
    assert promoted.exit_code == 0, promoted.stderr
    assert _users(cli)[dora]["role"] == "admin"
    demoted = cli.invoke("users", "set-role", dora, "user")
    assert demoted.exit_code == 0, demoted.stderr
    assert _users(cli)[dora]["role"] == "user"

    disabled = cli.invoke("users", "disable", dora)
    assert disabled.exit_code == 0, disabled.stderr
    assert _users(cli)[dora]["status"] == "disabled"
    enabled = cli.invoke("users", "enable", dora)
    assert enabled.exit_code == 0, enabled.stderr
    assert _users(cli)[dora]["status"] == "active"

    reset = cli.invoke(
        "users", "reset-password", dora, "--password-stdin", input="another passphrase 456\n"
    )
    assert reset.exit_code == 0, reset.stderr
    too_short = cli.invoke("users", "reset-password", dora, "--password-stdin", input="short\n")
    assert too_short.exit_code == 1
    cli.error_line(too_short)

    unconfirmed = cli.invoke("users", "delete", dora)
    assert unconfirmed.exit_code == 2
    assert "--yes" in cli.error_line(unconfirmed)
    assert dora in _users(cli)

    deleted = cli.invoke("users", "delete", dora, "--yes")
    assert deleted.exit_code == 0, deleted.stderr
    assert dora not in _users(cli)


def test_unknown_users_and_bad_roles(cli: Cli, email: Callable[[str], str]) -> None:
    ghost = email("ghost")
    for args in (
        ["set-role", ghost, "admin"],
        ["disable", ghost],
        ["enable", ghost],
        ["delete", ghost, "--yes"],
    ):
        done = cli.invoke("users", *args)
        assert done.exit_code == 1, args
        assert ghost in cli.error_line(done)

    bad_role = cli.invoke("users", "set-role", ghost, "superuser")
    assert bad_role.exit_code == 2

    bad_limit = cli.invoke("users", "list", "--limit", "0")
    assert bad_limit.exit_code == 2


def test_the_last_admin_stays(sqlite_cli: Cli) -> None:
    cli = sqlite_cli  # an instance of its own, so this admin is the only one
    made = cli.invoke(
        "users", "create", "root@example.com", "--admin", "--password-stdin", input=PASSWORD
    )
    assert made.exit_code == 0, made.stderr
    for args in (
        ["set-role", "root@example.com", "user"],
        ["disable", "root@example.com"],
        ["delete", "root@example.com", "--yes"],
    ):
        refused = cli.invoke("users", *args)
        assert refused.exit_code == 1, args
        assert "administrator" in cli.error_line(refused)
