"""Personal API tokens over HTTP (S12): shown once, scoped, revocable."""

from __future__ import annotations

from typing import Any

from tests.e2e._http_kit import Client, Login, assert_problem, bearer, signup

TOKENS = "/api/v1/tokens"


async def _create(client: Client, owner: Login, *scopes: str, **extra: Any) -> dict[str, Any]:
    response = await client.post(
        TOKENS, json={"name": "script", "scopes": list(scopes), **extra}, headers=owner.headers
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_a_token_is_shown_once_and_works_as_token_or_bearer(client: Client) -> None:
    ann = await signup(client, "ann@example.com")
    created = await _create(client, ann, "read", expires_in_days=30)
    secret = created["secret"]
    assert secret.startswith("pat_")
    assert len(secret) >= 4 + 43  # 256 random bits, base64url
    assert created["scopes"] == ["read"]
    assert created["expires_at"] is not None

    listed = await client.get(TOKENS, headers=ann.headers)
    assert listed.status_code == 200
    assert secret not in listed.text
    [item] = listed.json()["items"]
    assert item["id"] == created["id"]
    assert "secret" not in item
    assert secret.startswith(item["hint"])

    for header in ({"Authorization": f"Token {secret}"}, bearer(secret)):
        me = await client.get("/api/v1/me", headers=header)
        assert me.status_code == 200, me.text
        assert me.json()["email"] == "ann@example.com"
        assert me.headers["cache-control"] == "no-store"


async def test_a_read_token_cannot_write_S12(client: Client) -> None:
    ann = await signup(client, "ann@example.com")
    secret = (await _create(client, ann, "read"))["secret"]
    response = await client.patch(
        "/api/v1/me", json={"display_name": "Mallory"}, headers=bearer(secret)
    )
    assert_problem(response, 403, "permission_denied")
    me = await client.get("/api/v1/me", headers=ann.headers)
    assert me.json()["display_name"] == ""


async def test_a_write_token_can_write_but_not_administer_or_mint_tokens(client: Client) -> None:
    admin = await signup(client, "admin@example.com")
    secret = (await _create(client, admin, "write"))["secret"]
    renamed = await client.patch(
        "/api/v1/me", json={"display_name": "Robot"}, headers=bearer(secret)
    )
    assert renamed.status_code == 200
    assert_problem(await client.get("/api/v1/admin/users", headers=bearer(secret)), 403)
    minted = await client.post(
        TOKENS, json={"name": "child", "scopes": ["read"]}, headers=bearer(secret)
    )
    assert_problem(minted, 422)


async def test_a_revoked_token_is_401_and_others_tokens_are_not_found(client: Client) -> None:
    ann = await signup(client, "ann@example.com")
    bob = await signup(client, "bob@example.com")
    created = await _create(client, ann, "read", "write")
    assert created["scopes"] == ["read", "write"]

    foreign = await client.delete(f"{TOKENS}/{created['id']}", headers=bob.headers)
    assert_problem(foreign, 404)
    assert (await client.get("/api/v1/me", headers=bearer(created["secret"]))).is_success

    revoked = await client.delete(f"{TOKENS}/{created['id']}", headers=ann.headers)
    assert revoked.status_code == 204
    assert_problem(await client.get("/api/v1/me", headers=bearer(created["secret"])), 401)
    made_up = "pat_" + "A" * 43
    assert_problem(
        await client.get("/api/v1/me", headers={"Authorization": f"Token {made_up}"}), 401
    )


async def test_token_requests_are_bounded(client: Client) -> None:
    ann = await signup(client, "ann@example.com")
    for body in (
        {"name": "x", "scopes": []},
        {"name": "x", "scopes": ["admin"]},
        {"name": "", "scopes": ["read"]},
        {"name": "x" * 101, "scopes": ["read"]},
        {"name": "x", "scopes": ["read"], "expires_in_days": 0},
    ):
        response = await client.post(TOKENS, json=body, headers=ann.headers)
        assert_problem(response, 400, "validation_error")
