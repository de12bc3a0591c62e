"""Log hygiene (S32): a real server's logs name security events by their OWASP names, as
JSON with UTC times, and never contain a password, token, cookie or Authorization header.

The test drives every flow that handles a secret through a real `project serve` (JSON logs
on), collects every secret the flows used or were given, and greps all the output for them.
"""

from __future__ import annotations

import email
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from tests.e2e.cli._server import Server

if TYPE_CHECKING:  # conftest is pytest's to import; only its type is borrowed here
    from conftest import MakeCli

PASSWORD = "correct horse battery staple 91"
NEW_PASSWORD = "another long passphrase for ann 17"
WRONG_PASSWORD = "a wrong but long passphrase 55"
EMAIL = "ann@example.com"
EXPECTED_EVENTS = {
    "authn_login_success",
    "authn_login_fail",
    "authn_token_reuse",
    "authn_token_created",
    "authn_password_change",
    "authn_password_reset_request",
    "authn_password_reset",
    "session_revoked",
}


@pytest.fixture
def server(make_cli: MakeCli, tmp_path: Path) -> Iterator[Server]:
    running = Server(make_cli(PROJECT_LOG_JSON="true"), tmp_path)
    try:
        running.wait_ready()
        yield running
    finally:
        if running.process.poll() is None:
            running.process.kill()
            running.process.wait()


def _ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _drive_every_secret_bearing_flow(http: httpx.Client, outbox: Path) -> set[str]:
    """Register, log in (right and wrong), refresh and replay, PAT, password change and
    reset, browser cookies; returns every secret that went over the wire."""
    secrets = {PASSWORD, NEW_PASSWORD, WRONG_PASSWORD}
    _ok(http.post("/api/v1/auth/register", json={"email": EMAIL, "password": PASSWORD}), 201)
    failed = http.post("/api/v1/auth/login", json={"email": EMAIL, "password": WRONG_PASSWORD})
    assert failed.status_code == 401
    pair = _ok(http.post("/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD}))
    rotated = _ok(http.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]}))
    replay = http.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert replay.status_code == 401
    secrets |= {pair["access_token"], pair["refresh_token"]}
    secrets |= {rotated["access_token"], rotated["refresh_token"]}

    again = _ok(http.post("/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD}))
    secrets |= {again["access_token"], again["refresh_token"]}
    token = _ok(
        http.post(
            "/api/v1/tokens/",
            json={"name": "sync", "scopes": ["read"]},
            headers=_bearer(again["access_token"]),
        ),
        201,
    )
    secrets.add(token["secret"])
    _ok(http.get("/api/v1/bookmarks", headers=_bearer(token["secret"])))
    assert http.get("/api/v1/me", headers=_bearer("not-a-real-token")).status_code == 401
    _ok(
        http.post(
            "/api/v1/auth/password",
            json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
            headers=_bearer(again["access_token"]),
        ),
        204,
    )

    _ok(http.post("/api/v1/auth/password-reset/request", json={"email": EMAIL}), 202)
    [mail] = sorted(outbox.glob("*.eml"))
    body = email.message_from_bytes(mail.read_bytes()).get_payload(decode=True)
    assert isinstance(body, bytes)
    match = re.search(r"(prt_[A-Za-z0-9_-]+)", body.decode())
    assert match
    secrets.add(match.group(1))
    reset = {"token": match.group(1), "new_password": PASSWORD}
    _ok(http.post("/api/v1/auth/password-reset/confirm", json=reset), 204)

    csrf = _ok(http.get("/api/v1/auth/browser/csrf"))["csrf_token"]
    browser = http.post(
        "/api/v1/auth/browser/login",
        json={"email": EMAIL, "password": PASSWORD},
        headers={"X-CSRF-Token": csrf, "Cookie": f"__Host-project-csrf={csrf}"},
    )
    browser_body = _ok(browser)
    refresh_cookie = browser.headers["set-cookie"].split(";")[0].split("=", 1)[1]
    secrets |= {csrf, browser_body["access_token"], refresh_cookie}
    _ok(
        http.post("/api/v1/auth/logout", headers=_bearer(browser_body["access_token"])),
        204,
    )
    return secrets


def test_S32_logs_name_security_events_and_never_hold_a_secret(
    server: Server, make_cli: MakeCli
) -> None:
    outbox = Path(server.stdout).parent / "data" / "outbox"
    with httpx.Client(base_url=server.base, timeout=10) as http:
        secrets = _drive_every_secret_bearing_flow(http, outbox)
    server.stop()
    output = server.stdout.read_text() + server.stderr.read_text()

    leaked = sorted(secret for secret in secrets if secret in output)
    assert leaked == [], f"{len(leaked)} secrets appear in the logs"
    for fragment in ("Bearer ", "__Secure-project-refresh=", "__Host-project-csrf=", "$argon2"):
        assert fragment not in output

    events = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    names = {event["event"] for event in events}
    assert names >= EXPECTED_EVENTS, EXPECTED_EVENTS - names
    for event in events:
        assert event["timestamp"].endswith("Z"), event  # UTC, ISO 8601
