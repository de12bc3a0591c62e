"""Password change and reset over HTTP: other sessions end at once (S3, S5, B5)."""

from __future__ import annotations

import httpx

from project.entrypoints.settings import Settings
from tests.e2e._http_kit import (
    AUTH,
    NEW_PASSWORD,
    PASSWORD,
    Client,
    assert_problem,
    login,
    outbox,
    register,
    reset_token,
    signup,
)


async def test_password_change_ends_other_sessions_and_keeps_this_one_B5(client: Client) -> None:
    here = await signup(client, "ann@example.com")
    elsewhere = await login(client, "ann@example.com")

    changed = await client.post(
        f"{AUTH}/password",
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        headers=here.headers,
    )
    assert changed.status_code == 204

    assert_problem(await client.get("/api/v1/me", headers=elsewhere.headers), 401)
    stale = await client.post(f"{AUTH}/refresh", json={"refresh_token": elsewhere.refresh_token})
    assert_problem(stale, 401)
    assert (await client.get("/api/v1/me", headers=here.headers)).is_success
    kept = await client.post(f"{AUTH}/refresh", json={"refresh_token": here.refresh_token})
    assert kept.status_code == 200

    old = await client.post(
        f"{AUTH}/login", json={"email": "ann@example.com", "password": PASSWORD}
    )
    assert_problem(old, 401)
    await login(client, "ann@example.com", NEW_PASSWORD)


async def test_password_change_with_a_wrong_current_password_is_403_and_keeps_the_session(
    client: Client,
) -> None:
    ann = await signup(client, "ann@example.com")
    response = await client.post(
        f"{AUTH}/password",
        json={"current_password": "not my password at all", "new_password": NEW_PASSWORD},
        headers=ann.headers,
    )
    assert_problem(response, 403)
    assert response.json()["code"] == "wrong_password"
    assert (await client.get("/api/v1/me", headers=ann.headers)).status_code == 200
    await login(client, "ann@example.com", PASSWORD)


async def test_reset_request_answers_the_same_for_known_and_unknown_addresses_S3(
    client: Client, app_settings: Settings
) -> None:
    await register(client, "ann@example.com")
    known = await client.post(f"{AUTH}/password-reset/request", json={"email": "ann@example.com"})
    unknown = await client.post(
        f"{AUTH}/password-reset/request", json={"email": "nobody@example.com"}
    )
    assert known.status_code == unknown.status_code == 202
    assert known.content == unknown.content
    assert _headers(known) == _headers(unknown)

    mails = outbox(app_settings)
    assert [mail["To"] for mail in mails] == ["ann@example.com"]


async def test_reset_confirm_works_once_and_ends_every_session_B5(
    client: Client, app_settings: Settings
) -> None:
    ann = await signup(client, "ann@example.com")
    await client.post(f"{AUTH}/password-reset/request", json={"email": "ann@example.com"})
    token = reset_token(outbox(app_settings)[-1])

    confirm = {"token": token, "new_password": NEW_PASSWORD}
    first = await client.post(f"{AUTH}/password-reset/confirm", json=confirm)
    assert first.status_code == 204
    second = await client.post(f"{AUTH}/password-reset/confirm", json=confirm)
    assert_problem(second, 401)

    assert_problem(await client.get("/api/v1/me", headers=ann.headers), 401)
    stale = await client.post(f"{AUTH}/refresh", json={"refresh_token": ann.refresh_token})
    assert_problem(stale, 401)
    await login(client, "ann@example.com", NEW_PASSWORD)


async def test_reset_with_a_made_up_token_is_401(client: Client) -> None:
    response = await client.post(
        f"{AUTH}/password-reset/confirm",
        json={"token": "prt_" + "A" * 43, "new_password": NEW_PASSWORD},
    )
    assert_problem(response, 401)


def _headers(response: httpx.Response) -> list[tuple[str, str]]:
    """The headers, less the rate-limit ones (they count this address's requests, S31) and
    the request id (each request's own)."""
    return sorted(
        (k, v)
        for k, v in response.headers.items()
        if not k.startswith("ratelimit-") and k != "x-request-id"
    )
