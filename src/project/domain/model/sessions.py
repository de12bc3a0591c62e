"""Sign-in sessions (one per device) and their rotating refresh tokens (REQUIREMENTS S4, S11)."""

from __future__ import annotations

from datetime import datetime, timedelta

import msgspec

from project.domain.model.ids import SessionId, UserId


class SessionPolicy(msgspec.Struct, frozen=True, kw_only=True):
    """Lifetimes of access tokens and sessions; defaults follow REQUIREMENTS S4."""

    access_lifetime: timedelta = timedelta(minutes=15)
    idle_lifetime: timedelta = timedelta(days=14)
    absolute_lifetime: timedelta = timedelta(days=60)

    def __post_init__(self) -> None:
        if not timedelta(seconds=30) <= self.access_lifetime <= timedelta(minutes=15):
            raise ValueError("access token lifetime must be between 30 seconds and 15 minutes")
        if self.idle_lifetime > self.absolute_lifetime:
            raise ValueError("idle session lifetime cannot exceed the absolute lifetime")


class Session(msgspec.Struct, kw_only=True):
    """A signed-in device. Revoking it ends its refresh tokens and its access tokens."""

    id: SessionId
    user_id: UserId
    created_at: datetime
    last_used_at: datetime
    user_agent: str = ""
    ip: str = ""
    revoked_at: datetime | None = None
    revoke_reason: str | None = None

    def is_active(self, now: datetime, policy: SessionPolicy) -> bool:
        return (
            self.revoked_at is None
            and now < self.last_used_at + policy.idle_lifetime
            and now < self.created_at + policy.absolute_lifetime
        )

    def ends_at(self, policy: SessionPolicy) -> datetime:
        """When the session lapses unless it is used (refreshed) again before then."""
        return min(
            self.last_used_at + policy.idle_lifetime, self.created_at + policy.absolute_lifetime
        )

    def touch(self, now: datetime, *, ip: str | None = None, user_agent: str | None = None) -> None:
        self.last_used_at = now
        if ip is not None:
            self.ip = ip
        if user_agent is not None:
            self.user_agent = user_agent

    def revoke(self, now: datetime, reason: str) -> None:
        if self.revoked_at is None:
            self.revoked_at = now
            self.revoke_reason = reason


class RefreshToken(msgspec.Struct, kw_only=True):
    """One link of a session's refresh chain, stored only as a hash. Single use."""

    token_hash: str
    session_id: SessionId
    created_at: datetime
    rotated_at: datetime | None = None

    @property
    def is_rotated(self) -> bool:
        return self.rotated_at is not None
