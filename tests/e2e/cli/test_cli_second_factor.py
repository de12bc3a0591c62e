"""`project users require-totp` and `reset-totp` (S7) against SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import TYPE_CHECKING

import pyotp

from project.domain.model.context import LOCAL
from project.entrypoints.library import open_project
from project.entrypoints.settings import load_settings

if TYPE_CHECKING:  # conftest is pytest's to import; only its type is borrowed here
    from conftest import Cli

PASSWORD = "a long passphrase 123"


def _user(cli: Cli, address: str) -> dict[str, object]:
    listed = cli.invoke("users", "list", "--json", "--limit", "500")
    assert listed.exit_code == 0, listed.stderr
    users: dict[str, dict[str, object]] = {u["email"]: u for u in json.loads(listed.stdout)}
    return users[address]


def _create(cli: Cli, address: str) -> None:
    made = cli.invoke("users", "create", address, "--password-stdin", input=PASSWORD + "\n")
    assert made.exit_code == 0, made.stderr


async def _enrol_and_status(cli: Cli, address: str, *, enrol: bool) -> bool:
    """Through the library: optionally turn TOTP on for the account; say whether it is on."""
    async with open_project(load_settings(cli.settings)) as project:
        pair = await project.auth.login(address, PASSWORD, ctx=LOCAL)
        principal = await project.auth.authenticate_access_token(pair.access_token)
        if enrol:
            enrolment = await project.second_factor.start(principal, ctx=LOCAL)
            code = pyotp.TOTP(enrolment.secret).now()
            await project.second_factor.confirm(principal, code, ctx=LOCAL)
        return (await project.second_factor.status(principal)).enabled


def test_require_totp_flags_the_account_and_off_lifts_it(
    cli: Cli, email: Callable[[str], str]
) -> None:
    ann = email("ann")
    _create(cli, ann)
    assert _user(cli, ann)["totp_required"] is False

    on = cli.invoke("users", "require-totp", ann)
    assert on.exit_code == 0, on.stderr
    assert f"{ann} now requires two-factor sign-in" in on.stdout
    assert _user(cli, ann)["totp_required"] is True

    off = cli.invoke("users", "require-totp", ann, "--off")
    assert off.exit_code == 0, off.stderr
    assert "no longer requires" in off.stdout
    assert _user(cli, ann)["totp_required"] is False

    audit = cli.invoke("audit", "--action", "authz_mfa_requirement_change", "--json")
    assert audit.exit_code == 0, audit.stderr
    assert len(json.loads(audit.stdout)) >= 2


def test_reset_totp_turns_the_factor_off_so_the_password_signs_in_again(
    cli: Cli, email: Callable[[str], str]
) -> None:
    ann = email("ann")
    _create(cli, ann)
    assert asyncio.run(_enrol_and_status(cli, ann, enrol=True)) is True

    reset = cli.invoke("users", "reset-totp", ann)
    assert reset.exit_code == 0, reset.stderr
    assert f"turned off two-factor sign-in for {ann}" in reset.stdout
    # The password alone signs in again, and the factor is off.
    assert asyncio.run(_enrol_and_status(cli, ann, enrol=False)) is False


def test_unknown_accounts_and_bad_input_fail_in_one_line(
    cli: Cli, email: Callable[[str], str]
) -> None:
    for command in ("require-totp", "reset-totp"):
        unknown = cli.invoke("users", command, email("nobody"))
        assert unknown.exit_code == 1
        assert "No user with email" in cli.error_line(unknown)
        invalid = cli.invoke("users", command, "not an email")
        assert invalid.exit_code == 1
        cli.error_line(invalid)
    no_email = cli.invoke("users", "require-totp")
    assert no_email.exit_code == 2
