"""Every error is RFC 9457 problem+json with the security headers (S16, S18, S29)."""

from __future__ import annotations

import uuid
from pathlib import Path

from litestar.testing import AsyncTestClient

from project.entrypoints.http.headers import API_CSP
from project.entrypoints.settings import Environment, Settings
from tests.e2e._http_kit import (
    AUTH,
    PASSWORD,
    Client,
    assert_problem,
    assert_security_headers,
    make_app,
    register,
    signup,
)


async def test_client_errors_are_problems_with_security_headers(client: Client) -> None:
    admin = await signup(client, "admin@example.com")
    login = f"{AUTH}/login"
    json_type = {"content-type": "application/json"}

    malformed = await client.post(login, content=b'{"email": ', headers=json_type)
    assert_problem(malformed, 400)
    invalid = await client.post(login, json={"email": 42, "password": PASSWORD})
    assert_problem(invalid, 400, "validation_error")
    assert invalid.json()["errors"][0]["source"] == "body"
    assert_problem(await client.get("/api/v1/me"), 401, "authentication_failed")
    assert_problem(await client.get("/api/v1/admin/audit", headers=_user_headers()), 401)
    assert_problem(await client.get("/api/v1/no/such/route"), 404, "not_found")
    unknown_user = await client.get(f"/api/v1/admin/users/{uuid.uuid4()}", headers=admin.headers)
    assert_problem(unknown_user, 404, "not_found")
    not_allowed = await client.delete(login)
    assert_problem(not_allowed, 405, "method_not_allowed")
    assert "POST" in not_allowed.headers["allow"]
    head = await client.head("/health/live")
    assert head.status_code == 405
    assert_security_headers(head)
    duplicate = await client.post(
        f"{AUTH}/register", json={"email": admin.email, "password": PASSWORD}
    )
    assert_problem(duplicate, 409, "email_taken")
    weak = await client.post(
        f"{AUTH}/register", json={"email": "b@example.com", "password": "short"}
    )
    assert_problem(weak, 422, "weak_password")
    assert weak.json()["detail"] == "Password must be at least 10 characters."


async def test_non_admin_gets_403_problem(client: Client) -> None:
    await register(client, "admin@example.com")
    user = await signup(client, "user@example.com")
    assert_problem(await client.get("/api/v1/admin/users", headers=user.headers), 403)


async def test_bodies_over_one_mebibyte_are_413_S16(client: Client) -> None:
    padding = "x" * (1024 * 1024)
    response = await client.post(
        f"{AUTH}/login",
        content=f'{{"email": "a@example.com", "password": "{padding}"}}'.encode(),
        headers={"content-type": "application/json"},
    )
    assert_problem(response, 413, "payload_too_large")


async def test_a_body_that_is_not_json_is_415_S16(client: Client) -> None:
    body = b'{"email": "a@example.com", "password": "a long enough passphrase"}'
    for content_type in ("text/plain", "application/x-www-form-urlencoded", None):
        headers = {"content-type": content_type} if content_type else {}
        response = await client.post(f"{AUTH}/login", content=body, headers=headers)
        assert_problem(response, 415, "unsupported_media_type")
    charset = await client.post(
        f"{AUTH}/register",
        content=b'{"email": "a@example.com", "password": "a long enough passphrase"}',
        headers={"content-type": "application/json; charset=utf-8"},
    )
    assert charset.status_code == 201


async def test_an_unexpected_failure_is_a_generic_500_without_internals(tmp_path: Path) -> None:
    # A database that was never migrated: every query fails inside the driver.
    settings = Settings(
        env=Environment.TEST,
        data_dir=tmp_path,
        database_url=f"sqlite:///{tmp_path / 'empty.db'}",
        auto_migrate=False,
    ).resolve()
    async with AsyncTestClient(app=make_app(settings)) as client:
        response = await client.post(
            f"{AUTH}/register", json={"email": "ann@example.com", "password": PASSWORD}
        )
    assert_problem(response, 500, "internal_error")
    text = response.text.lower()
    for leak in ("sqlite", "table", "traceback", "operationalerror", "ann@example.com"):
        assert leak not in text


async def test_headers_on_success_and_docs_get_their_own_csp(client: Client) -> None:
    live = await client.get("/health/live")
    assert live.status_code == 200
    assert_security_headers(live)
    assert live.headers["content-security-policy"] == API_CSP
    assert "strict-transport-security" not in live.headers

    docs = await client.get("/schema")
    assert docs.status_code == 200
    assert_security_headers(docs)
    assert "script-src 'self' https://cdn.jsdelivr.net" in docs.headers["content-security-policy"]


async def test_hsts_is_sent_over_https(app_settings: Settings) -> None:
    async with AsyncTestClient(
        app=make_app(app_settings), base_url="https://testserver.local"
    ) as client:
        response = await client.get("/health/live")
    assert response.headers["strict-transport-security"].startswith("max-age=31536000")


def _user_headers() -> dict[str, str]:
    return {"Authorization": "Bearer " + "e30." * 2 + "sig"}
