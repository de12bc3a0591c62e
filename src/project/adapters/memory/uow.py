"""The in-memory unit of work: the fake the domain's unit tests run on.

It keeps the SQL adapters' transaction semantics: nothing is visible to other units of work
before `commit()`, leaving without commit discards the changes, and writers take turns, so a
conditional update (`mark_rotated`, `mark_used`) succeeds for exactly one of two racing units.
"""

from __future__ import annotations

from typing import Self

from project.adapters.memory._store import DEFAULT_LOCK_TIMEOUT, MemoryDatabase, Transaction
from project.adapters.memory.audit import InMemoryAuditLog
from project.adapters.memory.second_factors import (
    InMemoryRecoveryCodeRepository,
    InMemorySecondFactorRepository,
)
from project.adapters.memory.sessions import (
    InMemoryRefreshTokenRepository,
    InMemorySessionRepository,
)
from project.adapters.memory.tokens import (
    InMemoryApiTokenRepository,
    InMemoryInviteRepository,
    InMemoryPasswordResetRepository,
)
from project.adapters.memory.users import InMemoryUserRepository
from project.ports.repositories import (
    ApiTokenRepository,
    AuditLog,
    InviteRepository,
    PasswordResetRepository,
    RecoveryCodeRepository,
    RefreshTokenRepository,
    SecondFactorRepository,
    SessionRepository,
    UserRepository,
)


class InMemoryUnitOfWork:
    users: UserRepository
    sessions: SessionRepository
    refresh_tokens: RefreshTokenRepository
    api_tokens: ApiTokenRepository
    password_resets: PasswordResetRepository
    invites: InviteRepository
    second_factors: SecondFactorRepository
    recovery_codes: RecoveryCodeRepository
    audit: AuditLog

    def __init__(self, database: MemoryDatabase) -> None:
        self._database = database
        self._transaction: Transaction | None = None

    async def __aenter__(self) -> Self:
        if self._transaction is not None:
            raise RuntimeError("this unit of work is already in use")
        transaction = Transaction(self._database)
        self._transaction = transaction
        self.users = InMemoryUserRepository(transaction)
        self.sessions = InMemorySessionRepository(transaction)
        self.refresh_tokens = InMemoryRefreshTokenRepository(transaction)
        self.api_tokens = InMemoryApiTokenRepository(transaction)
        self.password_resets = InMemoryPasswordResetRepository(transaction)
        self.invites = InMemoryInviteRepository(transaction)
        self.second_factors = InMemorySecondFactorRepository(transaction)
        self.recovery_codes = InMemoryRecoveryCodeRepository(transaction)
        self.audit = InMemoryAuditLog(transaction)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        transaction = self._active()
        self._transaction = None
        transaction.rollback()

    async def commit(self) -> None:
        self._active().commit()

    async def rollback(self) -> None:
        self._active().rollback()

    def _active(self) -> Transaction:
        if self._transaction is None:
            raise RuntimeError("use the unit of work inside `async with`")
        return self._transaction


class InMemoryUnitOfWorkFactory:
    """Each factory owns one store; its units of work share it, as engines share a database."""

    def __init__(self, *, lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> None:
        self.database = MemoryDatabase(lock_timeout=lock_timeout)

    def __call__(self) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork(self.database)
