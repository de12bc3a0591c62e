"""Building a test app and talking to it: accounts, logins, bearer headers, the outbox."""

from __future__ import annotations

import email
import re
from dataclasses import dataclass
from email.message import Message
from typing import Any

import httpx
from dependency_injector import providers
from litestar import Litestar
from litestar.testing import AsyncTestClient

from project.adapters.argon2 import TEST_PARAMETERS, Argon2PasswordHasher
from project.entrypoints.container import Container
from project.entrypoints.http import create_app
from project.entrypoints.library import Project
from project.entrypoints.settings import Settings

PASSWORD = "a long enough passphrase 42"
NEW_PASSWORD = "another quite long passphrase 7"
AUTH = "/api/v1/auth"
Client = AsyncTestClient[Litestar]


def make_app(settings: Settings) -> Litestar:
    """The real app on the real container, with argon2 parameters cheap enough for tests."""
    container = Container(settings=settings)
    container.hasher.override(providers.Singleton(Argon2PasswordHasher, TEST_PARAMETERS))
    return create_app(settings, project=Project.from_container(container))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass(frozen=True)
class Login:
    """A signed-in user as a client holds them."""

    user_id: str
    email: str
    access_token: str
    refresh_token: str
    session_id: str

    @property
    def headers(self) -> dict[str, str]:
        return bearer(self.access_token)


async def register(
    client: Client, address: str, password: str = PASSWORD, **extra: Any
) -> dict[str, Any]:
    response = await client.post(
        f"{AUTH}/register", json={"email": address, "password": password, **extra}
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def login(client: Client, address: str, password: str = PASSWORD) -> Login:
    response = await client.post(f"{AUTH}/login", json={"email": address, "password": password})
    assert response.status_code == 200, response.text
    return await _as_login(client, response, address)


async def signup(client: Client, address: str, password: str = PASSWORD) -> Login:
    await register(client, address, password)
    return await login(client, address, password)


async def _as_login(client: Client, response: httpx.Response, address: str) -> Login:
    pair = response.json()
    me = await client.get("/api/v1/me", headers=bearer(pair["access_token"]))
    assert me.status_code == 200, me.text
    return Login(
        user_id=me.json()["id"],
        email=address,
        access_token=pair["access_token"],
        refresh_token=pair["refresh_token"],
        session_id=pair["session_id"],
    )


def outbox(settings: Settings) -> list[Message]:
    """Mail the instance wrote, oldest first."""
    files = sorted(settings.outbox_dir.glob("*.eml")) if settings.outbox_dir.exists() else []
    return [email.message_from_bytes(path.read_bytes()) for path in files]


def reset_token(message: Message) -> str:
    body = message.get_payload(decode=True)
    assert isinstance(body, bytes)
    match = re.search(r"Or use this reset token: (prt_[A-Za-z0-9_-]+)", body.decode())
    assert match, "the reset mail carries no token"
    return match.group(1)


def assert_problem(response: httpx.Response, status: int, code: str | None = None) -> None:
    """An RFC 9457 body with our `code`, carrying the security headers (S18, S29)."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    assert {"type", "title", "detail", "code"} <= set(body)
    assert all(isinstance(body[key], str) for key in ("type", "title", "detail", "code"))
    if code is not None:
        assert body["code"] == code, body
    assert_security_headers(response)
    if status == 401:
        assert response.headers["www-authenticate"].startswith("Bearer")


def assert_security_headers(response: httpx.Response) -> None:
    headers = response.headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    csp = headers["content-security-policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
