"""Cryptographic and session-state ports of the auth service."""

from __future__ import annotations

from datetime import timedelta
from typing import Protocol

from project.domain.model.ids import SessionId
from project.domain.model.tokens import AccessClaims


class PasswordHasher(Protocol):
    """Slow password hashing (argon2id, S1). Implementations must not block the event loop."""

    async def hash(self, password: str) -> str: ...
    async def verify(self, password_hash: str, password: str) -> bool:
        """True when the password matches; False (never an exception) when it does not."""
        ...

    async def verify_dummy(self, password: str) -> None:
        """Spend the time a real verification takes, so unknown accounts are not revealed (S3)."""
        ...

    def needs_rehash(self, password_hash: str) -> bool: ...


class AccessTokenCodec(Protocol):
    """Signs and checks access tokens (S8-S10)."""

    def encode(self, claims: AccessClaims) -> str: ...
    def decode(self, token: str) -> AccessClaims:
        """Return the claims of a valid access token.

        Raises:
            AuthenticationFailed: bad signature, algorithm, type, issuer, audience or times.
        """
        ...


class SessionDenylist(Protocol):
    """Sessions whose access tokens must fail at once (S5).

    Entries live as long as an access token can, after which the token expires on its own.
    """

    async def deny(self, session_id: SessionId, ttl: timedelta) -> None: ...
    async def is_denied(self, session_id: SessionId) -> bool: ...
