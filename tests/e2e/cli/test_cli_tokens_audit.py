"""`project tokens ...` and `project audit` against SQLite and PostgreSQL (in-process)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # conftest is pytest's to import; only its type is borrowed here
    from conftest import Cli

PASSWORD = "a long passphrase 123\n"


@pytest.fixture
def owner(cli: Cli, email: Callable[[str], str]) -> str:
    address = email("owner")
    made = cli.invoke("users", "create", address, "--password-stdin", input=PASSWORD)
    assert made.exit_code == 0, made.stderr
    return address


def _tokens(cli: Cli, owner: str) -> list[dict[str, object]]:
    listed = cli.invoke("tokens", "list", "--user", owner, "--json")
    assert listed.exit_code == 0, listed.stderr
    tokens: list[dict[str, object]] = json.loads(listed.stdout)
    return tokens


def test_create_shows_the_secret_once_then_lists_and_revokes(cli: Cli, owner: str) -> None:
    made = cli.invoke(
        "tokens",
        "create",
        "--user",
        owner,
        "--name",
        "ci job",
        "--scope",
        "write",
        "--expires-days",
        "30",
    )
    assert made.exit_code == 0, made.stderr
    secret = made.stdout.strip()
    assert secret.startswith("pat_")
    assert len(made.stdout.splitlines()) == 1  # only the secret on stdout, for $(...)
    assert "shown only once" in made.stderr

    (token,) = _tokens(cli, owner)
    assert token["name"] == "ci job"
    assert token["scopes"] == ["read", "write"]
    assert token["expires_at"] is not None
    assert token["revoked_at"] is None
    assert secret not in json.dumps(token)
    assert secret.startswith(str(token["hint"]))

    table = cli.invoke("tokens", "list", "--user", owner)
    assert "ci job" in table.stdout
    assert secret not in table.stdout

    revoked = cli.invoke("tokens", "revoke", str(token["id"]), "--user", owner)
    assert revoked.exit_code == 0, revoked.stderr
    (after,) = _tokens(cli, owner)
    assert after["revoked_at"] is not None


def test_create_json_carries_the_secret_and_defaults_to_read(cli: Cli, owner: str) -> None:
    made = cli.invoke("tokens", "create", "--user", owner, "--name", "reader", "--json")
    assert made.exit_code == 0, made.stderr
    created = json.loads(made.stdout)
    assert created["user"] == owner
    assert created["scopes"] == ["read"]
    assert created["expires_at"] is None
    assert created["secret"].startswith("pat_")


def test_token_errors_are_one_line(cli: Cli, owner: str, email: Callable[[str], str]) -> None:
    ghost = email("ghost")
    no_user = cli.invoke("tokens", "create", "--user", ghost, "--name", "x")
    assert no_user.exit_code == 1
    assert ghost in cli.error_line(no_user)

    blank = cli.invoke("tokens", "create", "--user", owner, "--name", "   ")
    assert blank.exit_code == 1
    cli.error_line(blank)

    made = cli.invoke("tokens", "create", "--user", owner, "--name", "mine", "--json")
    token_id = json.loads(made.stdout)["id"]
    other = email("other")
    cli.invoke("users", "create", other, "--password-stdin", input=PASSWORD)
    wrong_owner = cli.invoke("tokens", "revoke", token_id, "--user", other)
    assert wrong_owner.exit_code == 1
    assert "No such token" in cli.error_line(wrong_owner)

    assert cli.invoke("tokens", "revoke", "not-a-uuid").exit_code == 2
    assert (
        cli.invoke("tokens", "create", "--user", owner, "--name", "x", "--scope", "admin").exit_code
        == 2
    )
    assert (
        cli.invoke(
            "tokens", "create", "--user", owner, "--name", "x", "--expires-days", "0"
        ).exit_code
        == 2
    )


def test_audit_lists_the_events_newest_first(cli: Cli, owner: str) -> None:
    made = cli.invoke("tokens", "create", "--user", owner, "--name", "audited", "--json")
    token_id = json.loads(made.stdout)["id"]
    assert cli.invoke("tokens", "revoke", token_id).exit_code == 0

    listed = cli.invoke("audit", "--user", owner, "--json")
    assert listed.exit_code == 0, listed.stderr
    events = json.loads(listed.stdout)
    actions = [event["action"] for event in events]
    assert actions == ["authn_token_revoked", "authn_token_created", "user_created"]
    assert all(event["ip"] == "local" and event["actor_id"] is None for event in events)
    assert events[1]["detail"]["token"] == token_id

    only = cli.invoke("audit", "--user", owner, "--action", "authn_token_created", "--json")
    assert [event["action"] for event in json.loads(only.stdout)] == ["authn_token_created"]

    table = cli.invoke("audit", "--user", owner)
    lines = table.stdout.splitlines()
    assert lines[0].split()[:3] == ["OCCURRED", "AT", "ACTION"]
    assert "authn_token_revoked" in lines[1]
    assert f"token={token_id}" in lines[1]

    assert cli.invoke("audit", "--limit", "1", "--json").stdout.count('"action"') == 1
    assert cli.invoke("audit", "--action", "no_such_action").exit_code == 2
    ghost = cli.invoke("audit", "--user", "ghost@example.com")
    assert ghost.exit_code == 1
    cli.error_line(ghost)


def test_deleting_an_owner_removes_its_tokens_but_not_its_audit_trail(cli: Cli, owner: str) -> None:
    made = cli.invoke("tokens", "create", "--user", owner, "--name", "doomed", "--json")
    assert made.exit_code == 0, made.stderr
    subject = json.loads(cli.invoke("audit", "--user", owner, "--json").stdout)[0]["subject_id"]

    deleted = cli.invoke("users", "delete", owner, "--yes")
    assert deleted.exit_code == 0, deleted.stderr

    gone = cli.invoke("tokens", "list", "--user", owner)
    assert gone.exit_code == 1
    cli.error_line(gone)
    events = json.loads(cli.invoke("audit", "--action", "user_deleted", "--json").stdout)
    assert any(e["subject_id"] == subject and e["detail"]["email"] == owner for e in events)
