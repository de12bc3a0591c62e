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


async def test_B9_register_refuses_server_owned_fields_and_creates_nobody(client: Client) -> None:
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


async def test_B9_patch_me_role_admin_is_400_and_changes_nothing_S15(client: Client) -> None:
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


async def test_B9_admin_payloads_are_strict_too(client: Client) -> None:
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


BOOKMARK_OWNED: list[dict[str, Any]] = [
    {"id": str(uuid.uuid4())},
    {"owner_id": str(uuid.uuid4())},
    {"user_id": str(uuid.uuid4())},
    {"version": 99},
    {"created_at": "2020-01-01T00:00:00Z"},
    {"archive_status": "archived"},
    {"snapshot_url": "https://evil.example/s"},
    {"page": {"title": "injected"}},
]


async def test_B9_bookmark_bodies_refuse_owner_ids_versions_and_archive_state(
    client: Client,
) -> None:
    ann = await signup(client, "ann@example.com")
    made = await client.post(
        "/api/v1/bookmarks", json={"url": "https://example.com/a"}, headers=ann.headers
    )
    assert made.status_code == 201, made.text
    before = made.json()
    for extra in BOOKMARK_OWNED:
        body = {"url": "https://example.com/b", **extra}
        created = await client.post("/api/v1/bookmarks", json=body, headers=ann.headers)
        assert_problem(created, 400, "validation_error")
        patched = await client.patch(
            f"/api/v1/bookmarks/{before['id']}",
            json={"title": "changed", **extra},
            headers=ann.headers,
        )
        assert_problem(patched, 400, "validation_error")
    listing = (await client.get("/api/v1/bookmarks", headers=ann.headers)).json()
    assert [item["id"] for item in listing["items"]] == [before["id"]]
    after = (await client.get(f"/api/v1/bookmarks/{before['id']}", headers=ann.headers)).json()
    assert after == before


async def test_B9_collection_bodies_refuse_owner_and_ids(client: Client) -> None:
    ann = await signup(client, "ann@example.com")
    for extra in ({"owner_id": str(uuid.uuid4())}, {"id": str(uuid.uuid4())}, {"role": "owner"}):
        response = await client.post(
            "/api/v1/collections", json={"name": "Reading", **extra}, headers=ann.headers
        )
        assert_problem(response, 400, "validation_error")
    listing = await client.get("/api/v1/collections", headers=ann.headers)
    assert listing.json()["items"] == []


async def test_B9_users_cannot_set_their_storage_quota_or_usage_S23(client: Client) -> None:
    ann = await signup(client, "ann@example.com")
    before = (await client.get("/api/v1/me", headers=ann.headers)).json()
    for extra in (
        {"storage_quota": 10**12},
        {"quota_bytes": None},
        {"storage": {"used_bytes": 0, "quota_bytes": None}},
        {"used_bytes": 0},
    ):
        response = await client.patch(
            "/api/v1/me", json={"display_name": "Ann", **extra}, headers=ann.headers
        )
        assert_problem(response, 400, "validation_error")
    made = await client.post(
        "/api/v1/bookmarks", json={"url": "https://example.com/q"}, headers=ann.headers
    )
    patched = await client.patch(
        f"/api/v1/bookmarks/{made.json()['id']}", json={"archive_bytes": 0}, headers=ann.headers
    )
    assert_problem(patched, 400, "validation_error")
    after = (await client.get("/api/v1/me", headers=ann.headers)).json()
    assert after == before
    assert after["storage"] == {"used_bytes": 0, "quota_bytes": 1024 * 1024 * 1024}
