"""`project users show EMAIL`: one account, with the storage its archives use (S23)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # conftest is pytest's to import; only its type is borrowed here
    from tests.e2e.cli.conftest import Cli, MakeCli

PASSWORD = "a long passphrase 123\n"
MIB = 1024 * 1024


def test_show_gives_the_account_and_its_storage_against_the_quota(
    cli: Cli, email: Callable[[str], str]
) -> None:
    ann = email("ann")
    made = cli.invoke("users", "create", ann, "--password-stdin", input=PASSWORD)
    assert made.exit_code == 0, made.stderr

    shown = cli.invoke("users", "show", ann.upper(), "--json")
    table = cli.invoke("users", "show", ann)
    unknown = cli.invoke("users", "show", email("nobody"))

    assert shown.exit_code == 0, shown.stderr
    user = json.loads(shown.stdout)
    assert (user["email"], user["role"]) == (ann, "user")
    assert (user["storage_used_bytes"], user["storage_quota_bytes"]) == (0, 1024 * MIB)
    assert "password_hash" not in user
    lines = [line.split() for line in table.stdout.splitlines()]
    assert ["storage", "used", "bytes:", "0"] in lines
    assert ["storage", "quota", "bytes:", str(1024 * MIB)] in lines
    assert unknown.exit_code == 1
    cli.error_line(unknown)


def test_show_without_a_quota_says_none(make_cli: MakeCli, email: Callable[[str], str]) -> None:
    cli = make_cli(PROJECT_STORAGE_QUOTA_MIB="0")
    ann = email("ann")
    assert cli.invoke("users", "create", ann, "--password-stdin", input=PASSWORD).exit_code == 0

    shown = cli.invoke("users", "show", ann, "--json")

    assert json.loads(shown.stdout)["storage_quota_bytes"] is None
