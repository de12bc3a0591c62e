"""The unit of work: one connection and one transaction over every repository."""

from __future__ import annotations

from typing import Self

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from project.adapters.sql.archive_jobs import SqlArchiveJobRepository
from project.adapters.sql.audit import SqlAuditLog
from project.adapters.sql.bookmarks import SqlBookmarkRepository
from project.adapters.sql.collections import SqlCollectionRepository, SqlMembershipRepository
from project.adapters.sql.import_jobs import SqlImportJobRepository
from project.adapters.sql.search import SqlBookmarkSearch
from project.adapters.sql.second_factors import (
    SqlRecoveryCodeRepository,
    SqlSecondFactorRepository,
)
from project.adapters.sql.sessions import SqlRefreshTokenRepository, SqlSessionRepository
from project.adapters.sql.smart_lists import SqlSmartListRepository
from project.adapters.sql.tags import SqlTagRepository
from project.adapters.sql.tokens import (
    SqlApiTokenRepository,
    SqlInviteRepository,
    SqlPasswordResetRepository,
)
from project.adapters.sql.users import SqlUserRepository
from project.ports.catalog import (
    ArchiveJobRepository,
    BookmarkRepository,
    BookmarkSearch,
    CollectionRepository,
    ImportJobRepository,
    MembershipRepository,
    SmartListRepository,
    TagRepository,
)
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


class SqlUnitOfWork:
    """Checks a connection out on enter; rolls back whatever is uncommitted and returns it on exit.

    After `commit()` the same unit may go on: the next statement begins a new transaction.
    It serves both the auth service (UnitOfWork) and the core service (CatalogUnitOfWork).
    """

    users: UserRepository
    sessions: SessionRepository
    refresh_tokens: RefreshTokenRepository
    api_tokens: ApiTokenRepository
    password_resets: PasswordResetRepository
    invites: InviteRepository
    second_factors: SecondFactorRepository
    recovery_codes: RecoveryCodeRepository
    audit: AuditLog
    bookmarks: BookmarkRepository
    search: BookmarkSearch
    tags: TagRepository
    collections: CollectionRepository
    memberships: MembershipRepository
    smart_lists: SmartListRepository
    import_jobs: ImportJobRepository
    archive_jobs: ArchiveJobRepository

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._connection: AsyncConnection | None = None

    async def __aenter__(self) -> Self:
        if self._connection is not None:
            raise RuntimeError("this unit of work is already in use")
        connection = await self._engine.connect()
        self._connection = connection
        self.users = SqlUserRepository(connection)
        self.sessions = SqlSessionRepository(connection)
        self.refresh_tokens = SqlRefreshTokenRepository(connection)
        self.api_tokens = SqlApiTokenRepository(connection)
        self.password_resets = SqlPasswordResetRepository(connection)
        self.invites = SqlInviteRepository(connection)
        self.second_factors = SqlSecondFactorRepository(connection)
        self.recovery_codes = SqlRecoveryCodeRepository(connection)
        self.audit = SqlAuditLog(connection)
        self.bookmarks = SqlBookmarkRepository(connection)
        self.search = SqlBookmarkSearch(connection)
        self.tags = SqlTagRepository(connection)
        self.collections = SqlCollectionRepository(connection)
        self.memberships = SqlMembershipRepository(connection)
        self.smart_lists = SqlSmartListRepository(connection)
        self.import_jobs = SqlImportJobRepository(connection)
        self.archive_jobs = SqlArchiveJobRepository(connection)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        connection = self._active()
        self._connection = None
        try:
            await connection.rollback()
        finally:
            await connection.close()

    async def commit(self) -> None:
        await self._active().commit()

    async def rollback(self) -> None:
        await self._active().rollback()

    def _active(self) -> AsyncConnection:
        if self._connection is None:
            raise RuntimeError("use the unit of work inside `async with`")
        return self._connection


class SqlUnitOfWorkFactory:
    """What services hold: each call is a fresh unit of work on the shared engine."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self._engine)


async def check_database(engine: AsyncEngine) -> None:
    """Run `SELECT 1`; raises when the database cannot answer (for readiness probes)."""
    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))
