"""Forged and misused tokens end to end (B3; S8-S10): every one is a 401.

A control forgery signed exactly as the app signs proves the forger is right, so each
rejection below is caused by the one thing that test changes.
"""

from __future__ import annotations

import base64
import json
import secrets
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import msgspec
import pytest

from project.domain.model.ids import SessionId, UserId
from project.domain.model.tokens import AccessClaims
from project.entrypoints.container import Container
from project.entrypoints.settings import Settings
from tests.e2e._http_kit import (
    AUTH,
    Client,
    Login,
    assert_problem,
    bearer,
    outbox,
    reset_token,
    signup,
)


class Forger:
    def __init__(self, settings: Settings, victim: Login) -> None:
        self.kid, self.keys = settings.jwt_keys()
        self.issuer = settings.public_url.rstrip("/")
        self.audience = settings.jwt_audience
        self.victim = victim

    def claims(self, **changes: Any) -> dict[str, Any]:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": self.victim.user_id,
            "sid": self.victim.session_id,
            "jti": secrets.token_urlsafe(16),
            "iat": now,
            "nbf": now,
            "exp": now + 300,
            "typ": "access",
        }
        return {**claims, **changes}

    def sign(
        self,
        claims: dict[str, Any] | None = None,
        *,
        key: bytes | None = None,
        algorithm: str = "HS256",
        **header: Any,
    ) -> str:
        headers = {
            name: value
            for name, value in {"kid": self.kid, "typ": "at+jwt", **header}.items()
            if value is not None
        }
        return jwt.encode(
            claims or self.claims(),
            key or self.keys[self.kid],
            algorithm=algorithm,
            headers=headers,
        )


@pytest.fixture
async def victim(client: Client) -> Login:
    return await signup(client, "ann@example.com")


@pytest.fixture
def forger(app_settings: Settings, victim: Login) -> Forger:
    return Forger(app_settings, victim)


async def _rejected(client: Client, token: str, scheme: str = "Bearer") -> None:
    response = await client.get("/api/v1/me", headers={"Authorization": f"{scheme} {token}"})
    assert_problem(response, 401, "authentication_failed")


async def test_control_a_token_forged_with_the_real_key_is_accepted(
    client: Client, forger: Forger
) -> None:
    response = await client.get("/api/v1/me", headers=bearer(forger.sign()))
    assert response.status_code == 200


async def test_alg_none_is_rejected_B3(client: Client, forger: Forger) -> None:
    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    header = {"alg": "none", "typ": "at+jwt", "kid": forger.kid}
    await _rejected(client, f"{part(header)}.{part(forger.claims())}.")


async def test_hs256_signed_with_another_key_is_rejected_B3(client: Client, forger: Forger) -> None:
    await _rejected(client, forger.sign(key=secrets.token_bytes(32)))


@pytest.mark.filterwarnings("ignore:The HMAC key is 32 bytes long")
async def test_another_hmac_algorithm_with_the_right_key_is_rejected_B3(
    client: Client, forger: Forger
) -> None:
    await _rejected(client, forger.sign(algorithm="HS512"))


async def test_an_embedded_jwk_is_ignored_B3(client: Client, forger: Forger) -> None:
    attacker_key = secrets.token_bytes(32)
    jwk = {"kty": "oct", "k": base64.urlsafe_b64encode(attacker_key).rstrip(b"=").decode()}
    await _rejected(client, forger.sign(key=attacker_key, jwk=jwk))
    await _rejected(client, forger.sign(key=attacker_key, jwk=jwk, kid=None))


async def test_issuer_audience_and_type_must_match_exactly_B3(
    client: Client, forger: Forger
) -> None:
    for changes in (
        {"iss": forger.issuer + ".evil.example"},
        {"iss": forger.issuer[:-1]},
        {"aud": forger.audience + "-other"},
        {"typ": "refresh"},
    ):
        await _rejected(client, forger.sign(forger.claims(**changes)))
    await _rejected(client, forger.sign(typ="JWT"))


async def test_an_expired_token_is_rejected_B3(client: Client, forger: Forger) -> None:
    past = int(time.time()) - 3600
    await _rejected(client, forger.sign(forger.claims(iat=past - 300, nbf=past - 300, exp=past)))


async def test_a_token_from_another_instance_is_rejected_B3(
    client: Client, app_settings: Settings, victim: Login
) -> None:
    other = msgspec.structs.replace(app_settings, secret_key=secrets.token_urlsafe(48))
    now = datetime.now(UTC)
    token = (
        Container(settings=other)
        .codec()
        .encode(
            AccessClaims(
                user_id=UserId(uuid.UUID(victim.user_id)),
                session_id=SessionId(uuid.UUID(victim.session_id)),
                token_id=secrets.token_urlsafe(16),
                issued_at=now,
                expires_at=now + timedelta(minutes=5),
            )
        )
    )
    await _rejected(client, token)


async def test_refresh_and_reset_tokens_are_not_bearer_tokens_B3(
    client: Client, app_settings: Settings, victim: Login
) -> None:
    await _rejected(client, victim.refresh_token)
    await client.post(f"{AUTH}/password-reset/request", json={"email": victim.email})
    await _rejected(client, reset_token(outbox(app_settings)[-1]))


async def test_an_access_token_under_the_token_scheme_is_rejected(
    client: Client, victim: Login
) -> None:
    await _rejected(client, victim.access_token, scheme="Token")
