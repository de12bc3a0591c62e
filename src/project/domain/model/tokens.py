"""Access-token claims, personal API tokens (S12), password-reset tokens and invites."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

import msgspec

from project.domain.model.errors import InvalidInput
from project.domain.model.ids import ApiTokenId, SessionId, UserId

PASSWORD_RESET_LIFETIME = timedelta(minutes=30)
INVITE_LIFETIME = timedelta(days=7)
MAX_TOKEN_NAME_LENGTH = 100


class AccessClaims(msgspec.Struct, frozen=True, kw_only=True):
    """What an access JWT says, once its signature, type, issuer and audience are checked."""

    user_id: UserId
    session_id: SessionId
    token_id: str
    issued_at: datetime
    expires_at: datetime


class Scope(enum.StrEnum):
    READ = "read"
    WRITE = "write"


class ApiToken(msgspec.Struct, kw_only=True):
    """A personal API token for scripts and extensions; the secret itself is never stored."""

    id: ApiTokenId
    user_id: UserId
    name: str
    token_hash: str
    hint: str
    scopes: frozenset[Scope]
    created_at: datetime
    expires_at: datetime | None = None
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None

    def is_valid(self, now: datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or now < self.expires_at)

    def revoke(self, now: datetime) -> None:
        if self.revoked_at is None:
            self.revoked_at = now


def clean_token_name(raw: str) -> str:
    name = " ".join(raw.split())
    if not 1 <= len(name) <= MAX_TOKEN_NAME_LENGTH:
        raise InvalidInput(f"Token name must be 1 to {MAX_TOKEN_NAME_LENGTH} characters.")
    return name


def clean_scopes(raw: frozenset[Scope] | set[Scope] | list[Scope]) -> frozenset[Scope]:
    scopes = frozenset(raw)
    if not scopes:
        raise InvalidInput("A token needs at least one scope: read or write.")
    if Scope.WRITE in scopes:
        scopes |= {Scope.READ}  # writing without reading is never what a client wants
    return scopes


class PasswordResetToken(msgspec.Struct, kw_only=True):
    token_hash: str
    user_id: UserId
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None

    def is_usable(self, now: datetime) -> bool:
        return self.used_at is None and now < self.expires_at


class Invite(msgspec.Struct, kw_only=True):
    """A single-use invitation to register while registration is in `invite` mode."""

    token_hash: str
    created_by: UserId
    created_at: datetime
    expires_at: datetime
    email: str | None = None
    used_at: datetime | None = None

    def is_usable(self, now: datetime, email: str) -> bool:
        return (
            self.used_at is None
            and now < self.expires_at
            and (self.email is None or self.email == email)
        )


class TokenPair(msgspec.Struct, frozen=True, kw_only=True):
    """What a successful login or refresh hands the client."""

    access_token: str
    refresh_token: str
    expires_in: int
    session_id: SessionId
