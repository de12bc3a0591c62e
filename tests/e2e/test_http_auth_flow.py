"""Register, sign in, rotate, sign out: the auth flow over HTTP (SPEC 3.1, S3, S5, S11)."""

from __future__ import annotations

import msgspec
from litestar.testing import AsyncTestClient

from project.domain.model.registration import RegistrationMode
from project.entrypoints.settings import Settings
from tests.e2e._http_kit import (
    AUTH,
    PASSWORD,
    Client,
    assert_problem,
    bearer,
    login,
    make_app,
    register,
    signup,
)


async def test_register_login_me_refresh_then_replay_kills_the_family_B4_and_logout_B5(
    client: Client,
) -> None:
    user = await register(client, "ann@example.com", display_name="Ann")
    assert user["email"] == "ann@example.com"
    assert user["display_name"] == "Ann"
    assert "password_hash" not in user

    response = await client.post(
        f"{AUTH}/login", json={"email": "Ann@Example.com", "password": PASSWORD}
    )
    assert response.status_code == 200
    pair = response.json()
    assert pair["token_type"] == "bearer"
    assert 0 < pair["expires_in"] <= 15 * 60
    assert pair["refresh_token"].startswith("rt_")
    assert response.headers["cache-control"] == "no-store"

    me = await client.get("/api/v1/me", headers=bearer(pair["access_token"]))
    assert me.status_code == 200
    assert me.json()["id"] == user["id"]
    assert me.headers["cache-control"] == "no-store"

    rotated = await client.post(f"{AUTH}/refresh", json={"refresh_token": pair["refresh_token"]})
    assert rotated.status_code == 200
    second = rotated.json()
    assert second["refresh_token"] != pair["refresh_token"]
    assert (await client.get("/api/v1/me", headers=bearer(second["access_token"]))).is_success

    replay = await client.post(f"{AUTH}/refresh", json={"refresh_token": pair["refresh_token"]})
    assert_problem(replay, 401, "authentication_failed")
    successor = await client.post(
        f"{AUTH}/refresh", json={"refresh_token": second["refresh_token"]}
    )
    assert_problem(successor, 401)
    # The whole session is gone, so its access tokens stop at once too.
    assert_problem(await client.get("/api/v1/me", headers=bearer(second["access_token"])), 401)

    fresh = await login(client, "ann@example.com")
    logout = await client.post(f"{AUTH}/logout", headers=fresh.headers)
    assert logout.status_code == 204
    assert_problem(await client.get("/api/v1/me", headers=fresh.headers), 401)
    again = await client.post(f"{AUTH}/refresh", json={"refresh_token": fresh.refresh_token})
    assert_problem(again, 401)


async def test_first_registered_user_is_admin_and_the_second_is_a_user(client: Client) -> None:
    first = await register(client, "first@example.com")
    second = await register(client, "second@example.com")
    assert first["role"] == "admin"
    assert second["role"] == "user"


async def test_closed_registration_answers_403_problem(app_settings: Settings) -> None:
    closed = msgspec.structs.replace(app_settings, registration=RegistrationMode.CLOSED)
    async with AsyncTestClient(app=make_app(closed)) as client:
        response = await client.post(
            f"{AUTH}/register", json={"email": "ann@example.com", "password": PASSWORD}
        )
    assert_problem(response, 403, "registration_closed")


async def test_duplicate_email_is_409_and_weak_password_is_422(client: Client) -> None:
    await register(client, "ann@example.com")
    taken = await client.post(
        f"{AUTH}/register", json={"email": "ANN@example.com", "password": PASSWORD}
    )
    assert_problem(taken, 409, "email_taken")
    weak = await client.post(
        f"{AUTH}/register", json={"email": "bob@example.com", "password": "password123"}
    )
    assert_problem(weak, 422, "weak_password")


async def test_unknown_email_and_wrong_password_are_byte_identical_S3(client: Client) -> None:
    await register(client, "ann@example.com")
    unknown = await client.post(
        f"{AUTH}/login", json={"email": "nobody@example.com", "password": PASSWORD}
    )
    wrong = await client.post(
        f"{AUTH}/login", json={"email": "ann@example.com", "password": PASSWORD + "x"}
    )
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.content == wrong.content
    for header in ("content-type", "content-length", "www-authenticate", "cache-control"):
        assert unknown.headers.get(header) == wrong.headers.get(header)
    assert sorted(unknown.headers.keys()) == sorted(wrong.headers.keys())


async def test_sessions_list_marks_the_current_one_and_revoking_another_ends_it(
    client: Client,
) -> None:
    laptop = await signup(client, "ann@example.com")
    phone = await login(client, "ann@example.com")

    listed = await client.get(f"{AUTH}/sessions", headers=laptop.headers)
    assert listed.status_code == 200
    items = listed.json()["items"]
    assert {item["id"] for item in items} == {laptop.session_id, phone.session_id}
    assert [item["current"] for item in items if item["id"] == laptop.session_id] == [True]

    revoked = await client.delete(f"{AUTH}/sessions/{phone.session_id}", headers=laptop.headers)
    assert revoked.status_code == 204
    assert_problem(await client.get("/api/v1/me", headers=phone.headers), 401)
    assert (await client.get("/api/v1/me", headers=laptop.headers)).is_success


async def test_someone_elses_session_is_not_found(client: Client) -> None:
    ann = await signup(client, "ann@example.com")
    bob = await signup(client, "bob@example.com")
    response = await client.delete(f"{AUTH}/sessions/{bob.session_id}", headers=ann.headers)
    assert_problem(response, 404, "not_found")
    assert (await client.get("/api/v1/me", headers=bob.headers)).is_success


async def test_logout_all_ends_every_session_B5(client: Client) -> None:
    first = await signup(client, "ann@example.com")
    second = await login(client, "ann@example.com")
    response = await client.post(f"{AUTH}/logout-all", headers=first.headers)
    assert response.status_code == 200
    assert response.json() == {"ended": 2}
    for session in (first, second):
        assert_problem(await client.get("/api/v1/me", headers=session.headers), 401)


async def test_me_patch_renames_and_email_change_needs_the_password(client: Client) -> None:
    ann = await signup(client, "ann@example.com")
    renamed = await client.patch(
        "/api/v1/me", json={"display_name": "  Ann   Lee "}, headers=ann.headers
    )
    assert renamed.status_code == 200
    assert renamed.json()["display_name"] == "Ann Lee"

    no_password = await client.patch(
        "/api/v1/me", json={"email": "ann@new.example"}, headers=ann.headers
    )
    assert_problem(no_password, 403, "wrong_password")
    moved = await client.patch(
        "/api/v1/me",
        json={"email": "ann@new.example", "current_password": PASSWORD},
        headers=ann.headers,
    )
    assert moved.status_code == 200
    assert moved.json()["email"] == "ann@new.example"
    assert moved.json()["display_name"] == "Ann Lee"
    await login(client, "ann@new.example")
