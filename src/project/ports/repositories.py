"""Persistence ports for the auth service. Every method is one a use case calls."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from project.domain.model.audit import AuditAction, AuditEvent
from project.domain.model.ids import ApiTokenId, SessionId, UserId
from project.domain.model.second_factor import RecoveryCode, TotpFactor
from project.domain.model.sessions import RefreshToken, Session
from project.domain.model.tokens import ApiToken, Invite, PasswordResetToken
from project.domain.model.users import User


class UserRepository(Protocol):
    """Accounts. Emails are stored normalized; `add` of a taken email raises EmailTaken."""

    async def get(self, user_id: UserId) -> User | None: ...
    async def get_by_email(self, email: str) -> User | None: ...
    async def add(self, user: User) -> None: ...
    async def update(self, user: User) -> None: ...
    async def delete(self, user_id: UserId) -> None: ...
    async def count(self) -> int: ...
    async def count_active_admins(self) -> int: ...
    async def list(self, *, limit: int, offset: int) -> Sequence[User]: ...


class SessionRepository(Protocol):
    """Signed-in devices."""

    async def get(self, session_id: SessionId) -> Session | None: ...
    async def add(self, session: Session) -> None: ...
    async def update(self, session: Session) -> None: ...
    async def list_active(self, user_id: UserId) -> Sequence[Session]:
        """Sessions of the user that are not revoked (expiry is the caller's judgement)."""
        ...

    async def revoke_all(
        self, user_id: UserId, *, at: datetime, reason: str, keep: SessionId | None = None
    ) -> Sequence[SessionId]:
        """Revoke every unrevoked session of the user but `keep`; return the ids revoked."""
        ...


class RefreshTokenRepository(Protocol):
    async def add(self, token: RefreshToken) -> None: ...
    async def get(self, token_hash: str) -> RefreshToken | None: ...
    async def mark_rotated(self, token_hash: str, at: datetime) -> bool:
        """Mark the token used if it was not; False when another caller used it first.

        Must be atomic (a conditional update) so two concurrent refreshes with the same
        token cannot both succeed.
        """
        ...


class ApiTokenRepository(Protocol):
    async def add(self, token: ApiToken) -> None: ...
    async def get(self, token_id: ApiTokenId) -> ApiToken | None: ...
    async def get_by_hash(self, token_hash: str) -> ApiToken | None: ...
    async def list_for_user(self, user_id: UserId) -> Sequence[ApiToken]: ...
    async def update(self, token: ApiToken) -> None: ...


class PasswordResetRepository(Protocol):
    async def add(self, token: PasswordResetToken) -> None: ...
    async def get(self, token_hash: str) -> PasswordResetToken | None: ...
    async def mark_used(self, token_hash: str, at: datetime) -> bool:
        """Atomically mark the token used; False if it was already used."""
        ...


class InviteRepository(Protocol):
    async def add(self, invite: Invite) -> None: ...
    async def get(self, token_hash: str) -> Invite | None: ...
    async def mark_used(self, token_hash: str, at: datetime) -> bool:
        """Atomically mark the invite used; False if it was already used."""
        ...


class SecondFactorRepository(Protocol):
    """Each user's TOTP authenticator, at most one (S7)."""

    async def get(self, user_id: UserId) -> TotpFactor | None: ...
    async def save(self, factor: TotpFactor) -> None:
        """Store the factor, replacing the user's previous one."""
        ...

    async def delete(self, user_id: UserId) -> None: ...
    async def use_step(self, user_id: UserId, step: int) -> bool:
        """Record `step` as the last one spent if it is later than the last; False otherwise.

        Must be atomic (a conditional update), so of two logins racing with one code exactly
        one succeeds.
        """
        ...


class RecoveryCodeRepository(Protocol):
    """The digests of a user's one-time recovery codes."""

    async def replace(self, user_id: UserId, codes: Sequence[RecoveryCode]) -> None:
        """Drop every code of the user (used or not) and store `codes` instead."""
        ...

    async def use(self, user_id: UserId, code_hash: str, at: datetime) -> bool:
        """Atomically mark the user's unused code with this digest used; False if none."""
        ...

    async def count_unused(self, user_id: UserId) -> int: ...


class AuditLog(Protocol):
    """Append-only record of security events, newest first when listed."""

    async def record(self, event: AuditEvent) -> None: ...
    async def list(
        self,
        *,
        limit: int,
        offset: int = 0,
        subject_id: UserId | None = None,
        action: AuditAction | None = None,
    ) -> Sequence[AuditEvent]: ...


class UnitOfWork(Protocol):
    """One transaction over every repository. Rolls back on exit unless committed."""

    users: UserRepository
    sessions: SessionRepository
    refresh_tokens: RefreshTokenRepository
    api_tokens: ApiTokenRepository
    password_resets: PasswordResetRepository
    invites: InviteRepository
    second_factors: SecondFactorRepository
    recovery_codes: RecoveryCodeRepository
    audit: AuditLog

    async def __aenter__(self) -> UnitOfWork: ...
    async def __aexit__(self, *exc_info: object) -> None: ...
    async def commit(self) -> None: ...
    async def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> UnitOfWork: ...
