"""The committed state of the in-memory store, and one unit of work's view of it."""

from __future__ import annotations

import asyncio
import copy
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TypeVar

import msgspec

from project.domain.model.audit import AuditEvent
from project.domain.model.ids import ApiTokenId, SessionId, UserId
from project.domain.model.second_factor import RecoveryCode, TotpFactor
from project.domain.model.sessions import RefreshToken, Session
from project.domain.model.tokens import ApiToken, Invite, PasswordResetToken
from project.domain.model.users import User

DEFAULT_LOCK_TIMEOUT = 5.0  # seconds, as SQLite's busy_timeout

_S = TypeVar("_S", bound=msgspec.Struct)


@dataclass(slots=True)
class Tables:
    """Rows by primary key. Stored entities are never mutated, only replaced."""

    users: dict[UserId, User] = field(default_factory=dict)
    sessions: dict[SessionId, Session] = field(default_factory=dict)
    refresh_tokens: dict[str, RefreshToken] = field(default_factory=dict)
    api_tokens: dict[ApiTokenId, ApiToken] = field(default_factory=dict)
    password_resets: dict[str, PasswordResetToken] = field(default_factory=dict)
    invites: dict[str, Invite] = field(default_factory=dict)
    second_factors: dict[UserId, TotpFactor] = field(default_factory=dict)
    recovery_codes: dict[tuple[UserId, str], RecoveryCode] = field(default_factory=dict)
    audit: list[AuditEvent] = field(default_factory=list)

    def copy(self) -> Tables:
        """A shallow copy: enough, since entities are replaced rather than changed in place."""
        return Tables(
            users=dict(self.users),
            sessions=dict(self.sessions),
            refresh_tokens=dict(self.refresh_tokens),
            api_tokens=dict(self.api_tokens),
            password_resets=dict(self.password_resets),
            invites=dict(self.invites),
            second_factors=dict(self.second_factors),
            recovery_codes=dict(self.recovery_codes),
            audit=list(self.audit),
        )


class MemoryDatabase:
    """State shared by the units of work of one factory: what is committed, and a write lock.

    One writer at a time, as in SQLite: a unit of work takes the lock at its first write and
    holds it until it commits or ends, so it always builds on the latest committed state.
    """

    def __init__(self, *, lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> None:
        self.committed = Tables()
        self.write_lock = asyncio.Lock()
        self.lock_timeout = lock_timeout


class Transaction:
    """One unit of work's view: committed state until it writes, then its own copy."""

    def __init__(self, database: MemoryDatabase) -> None:
        self._db = database
        self._working: Tables | None = None

    def reading(self) -> Tables:
        return self._db.committed if self._working is None else self._working

    async def writing(self) -> Tables:
        if self._working is None:
            try:
                async with asyncio.timeout(self._db.lock_timeout):
                    await self._db.write_lock.acquire()
            except TimeoutError:
                raise TimeoutError(
                    "the in-memory store is locked by another unit of work "
                    "(a unit of work opened inside one that has written?)"
                ) from None
            self._working = self._db.committed.copy()
        return self._working

    def commit(self) -> None:
        if self._working is not None:
            self._db.committed = self._working
        self._end()

    def rollback(self) -> None:
        self._end()

    def _end(self) -> None:
        if self._working is not None:
            self._working = None
            self._db.write_lock.release()


def stored(entity: _S) -> _S:
    """The copy to keep: detached from the caller's object, every datetime made UTC."""
    clone = copy.deepcopy(entity)
    changes = {
        name: utc(value)
        for name, value in msgspec.structs.asdict(clone).items()
        if isinstance(value, datetime)
    }
    return msgspec.structs.replace(clone, **changes) if changes else clone


def handed_out(entity: _S) -> _S:
    """The copy to return, so a caller changing it does not change the store."""
    return copy.deepcopy(entity)


def utc(value: datetime) -> datetime:
    """The same instant in UTC; naive values are refused, as the SQL adapter refuses them."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value!r}: pass a timezone-aware value")
    return value.astimezone(UTC)
