"""Mass assignment (B9, S15): unknown and server-owned fields are refused, nothing changes."""

from __future__ import annotations

import uuid
from typing import Any

from tests.e2e._http_kit import AUTH, PASSWORD, Client, assert_problem, register, signup

SERVER_OWNED: list[dict[str, Any]] = [
    {"role": "admin"},
    {"id": str(uuid.uuid4())},
    {"email_verified": True},
    {"created_at": "2020-01-01T00:00:00Z"},
    {"status": "active"},
    {"password_hash": "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA"},
]


async def test_register_refuses_server_owned_fields_and_creates_nobody_B9(client: Client) -> None:
    admin = await signup(client, "admin@example.com")
    for extra in SERVER_OWNED:
        body = {"email": "mallory@example.com", "password": PASSWORD, **extra}
        response = await client.post(f"{AUTH}/register", json=body)
        assert_problem(response, 400, "validation_error")
        [error] = response.json()["errors"]
        assert next(iter(extra)) in error["message"]

    users = await client.get("/api/v1/admin/users", headers=admin.headers)
    assert [u["email"] for u in users.json()["items"]] == ["admin@example.com"]
    later = await register(client, "mallory@example.com")
    assert later["role"] == "user"


async def test_patch_me_role_admin_is_400_and_changes_nothing_S15_B9(client: Client) -> None:
    await signup(client, "admin@example.com")
    mallory = await signup(client, "mallory@example.com")
    before = (await client.get("/api/v1/me", headers=mallory.headers)).json()
    for extra in SERVER_OWNED:
        body = {"display_name": "Boss", **extra}
        response = await client.patch("/api/v1/me", json=body, headers=mallory.headers)
        assert_problem(response, 400, "validation_error")
    after = (await client.get("/api/v1/me", headers=mallory.headers)).json()
    assert after == before
    assert after["role"] == "user"


async def test_admin_payloads_are_strict_too_B9(client: Client) -> None:
    admin = await signup(client, "admin@example.com")
    bob = await signup(client, "bob@example.com")
    create = {"email": "carol@example.com", "password": PASSWORD, "id": str(uuid.uuid4())}
    created = await client.post("/api/v1/admin/users", json=create, headers=admin.headers)
    assert_problem(created, 400, "validation_error")
    patched = await client.patch(
        f"/api/v1/admin/users/{bob.user_id}",
        json={"email": "bob@evil.example"},
        headers=admin.headers,
    )
    assert_problem(patched, 400, "validation_error")
    wrong_role = await client.patch(
        f"/api/v1/admin/users/{bob.user_id}", json={"role": "root"}, headers=admin.headers
    )
    assert_problem(wrong_role, 400, "validation_error")
