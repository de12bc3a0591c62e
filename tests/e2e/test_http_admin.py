"""Administration over HTTP: user management, invites, the audit log; admins only."""

from __future__ import annotations

import uuid

import msgspec
import pytest
from litestar.testing import AsyncTestClient

from project.domain.model.registration import RegistrationMode
from project.entrypoints.settings import Settings
from tests.e2e._http_kit import (
    AUTH,
    NEW_PASSWORD,
    PASSWORD,
    Client,
    Login,
    assert_problem,
    login,
    make_app,
    signup,
)

USERS = "/api/v1/admin/users"


@pytest.fixture
async def admin(client: Client) -> Login:
    return await signup(client, "admin@example.com")


@pytest.fixture
async def user(client: Client, admin: Login) -> Login:
    return await signup(client, "user@example.com")


async def test_disabling_a_user_ends_their_access_token_at_once_B5(
    client: Client, admin: Login, user: Login
) -> None:
    response = await client.patch(
        f"{USERS}/{user.user_id}", json={"status": "disabled"}, headers=admin.headers
    )
    assert response.status_code == 200
    assert response.json()["status"] == "disabled"
    assert_problem(await client.get("/api/v1/me", headers=user.headers), 401)
    refresh = await client.post(f"{AUTH}/refresh", json={"refresh_token": user.refresh_token})
    assert_problem(refresh, 401)
    relogin = await client.post(f"{AUTH}/login", json={"email": user.email, "password": PASSWORD})
    assert_problem(relogin, 401)

    enabled = await client.patch(
        f"{USERS}/{user.user_id}", json={"status": "active"}, headers=admin.headers
    )
    assert enabled.json()["status"] == "active"
    await login(client, user.email)


async def test_a_non_admin_gets_403_on_every_admin_route(client: Client, user: Login) -> None:
    some_id = user.user_id
    calls = [
        ("GET", USERS, None),
        ("POST", USERS, {"email": "x@example.com", "password": PASSWORD}),
        ("GET", f"{USERS}/{some_id}", None),
        ("PATCH", f"{USERS}/{some_id}", {"role": "admin"}),
        ("DELETE", f"{USERS}/{some_id}", None),
        ("POST", f"{USERS}/{some_id}/password", {"new_password": NEW_PASSWORD}),
        ("POST", "/api/v1/admin/invites", {}),
        ("GET", "/api/v1/admin/audit", None),
    ]
    for method, path, body in calls:
        response = await client.request(method, path, json=body, headers=user.headers)
        assert_problem(response, 403, "permission_denied")
    me = await client.get("/api/v1/me", headers=user.headers)
    assert me.json()["role"] == "user"


async def test_admin_creates_lists_promotes_and_deletes_users(client: Client, admin: Login) -> None:
    created = await client.post(
        USERS,
        json={"email": "bob@example.com", "password": PASSWORD, "display_name": "Bob"},
        headers=admin.headers,
    )
    assert created.status_code == 201
    bob = created.json()
    assert bob["role"] == "user"

    listed = await client.get(f"{USERS}?limit=10&offset=0", headers=admin.headers)
    assert {u["email"] for u in listed.json()["items"]} == {"admin@example.com", "bob@example.com"}

    promoted = await client.patch(
        f"{USERS}/{bob['id']}", json={"role": "admin"}, headers=admin.headers
    )
    assert promoted.json()["role"] == "admin"
    fetched = await client.get(f"{USERS}/{bob['id']}", headers=admin.headers)
    assert fetched.json()["role"] == "admin"

    deleted = await client.delete(f"{USERS}/{bob['id']}", headers=admin.headers)
    assert deleted.status_code == 204
    gone = await client.get(f"{USERS}/{bob['id']}", headers=admin.headers)
    assert_problem(gone, 404)
    assert_problem(await client.get(f"{USERS}/{uuid.uuid4()}", headers=admin.headers), 404)


async def test_the_last_admin_cannot_demote_themselves(client: Client, admin: Login) -> None:
    response = await client.patch(
        f"{USERS}/{admin.user_id}", json={"role": "user"}, headers=admin.headers
    )
    assert_problem(response, 409, "last_administrator")


async def test_admin_password_reset_ends_the_users_sessions(
    client: Client, admin: Login, user: Login
) -> None:
    response = await client.post(
        f"{USERS}/{user.user_id}/password",
        json={"new_password": NEW_PASSWORD},
        headers=admin.headers,
    )
    assert response.status_code == 204
    assert_problem(await client.get("/api/v1/me", headers=user.headers), 401)
    await login(client, user.email, NEW_PASSWORD)


async def test_an_admin_cannot_set_their_own_password_without_the_current_one(
    client: Client, admin: Login
) -> None:
    response = await client.post(
        f"{USERS}/{admin.user_id}/password",
        json={"new_password": NEW_PASSWORD},
        headers=admin.headers,
    )
    assert_problem(response, 403, "permission_denied")
    assert (await client.get("/api/v1/me", headers=admin.headers)).status_code == 200
    await login(client, admin.email, PASSWORD)  # unchanged


async def test_audit_log_lists_security_events_filtered_by_user_and_action(
    client: Client, admin: Login, user: Login
) -> None:
    await client.post(f"{AUTH}/login", json={"email": user.email, "password": "wrong password!"})
    everything = await client.get("/api/v1/admin/audit", headers=admin.headers)
    assert everything.status_code == 200
    actions = {event["action"] for event in everything.json()["items"]}
    assert {"user_created", "authn_login_success", "authn_login_fail"} <= actions

    failures = await client.get(
        "/api/v1/admin/audit",
        params={"user_id": user.user_id, "action": "authn_login_fail", "limit": 5},
        headers=admin.headers,
    )
    items = failures.json()["items"]
    assert len(items) == 1
    assert items[0]["subject_id"] == user.user_id
    assert items[0]["detail"] == {"reason": "bad_password"}
    assert "wrong password!" not in everything.text

    bad = await client.get("/api/v1/admin/audit?limit=0", headers=admin.headers)
    assert_problem(bad, 400, "validation_error")
    bad_action = await client.get("/api/v1/admin/audit?action=nope", headers=admin.headers)
    assert_problem(bad_action, 400, "validation_error")


async def test_invites_let_someone_register_in_invite_mode(app_settings: Settings) -> None:
    invite_only = msgspec.structs.replace(app_settings, registration=RegistrationMode.INVITE)
    async with AsyncTestClient(app=make_app(invite_only)) as client:
        owner = await signup(client, "owner@example.com")  # an empty instance may be claimed
        uninvited = await client.post(
            f"{AUTH}/register", json={"email": "bob@example.com", "password": PASSWORD}
        )
        assert_problem(uninvited, 403, "registration_closed")

        issued = await client.post("/api/v1/admin/invites", json={}, headers=owner.headers)
        assert issued.status_code == 201
        invite = issued.json()["invite"]
        joined = await client.post(
            f"{AUTH}/register",
            json={"email": "bob@example.com", "password": PASSWORD, "invite": invite},
        )
        assert joined.status_code == 201
        reused = await client.post(
            f"{AUTH}/register",
            json={"email": "carol@example.com", "password": PASSWORD, "invite": invite},
        )
        assert_problem(reused, 403)
