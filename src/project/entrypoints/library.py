"""The typed library entry (SPEC 6): build the services from settings, use them, close them.

async with project.open_project() as app:
    user = await app.admin.create_user(None, "ann@example.com", "a long passphrase", ctx=LOCAL)
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from project.domain.services.accounts import AccountService
from project.domain.services.administration import AdministrationService
from project.domain.services.api_tokens import ApiTokenService
from project.domain.services.archiving import ArchiveService
from project.domain.services.audit_trail import AuditTrailService
from project.domain.services.authentication import AuthenticationService
from project.domain.services.bookmarks import BookmarkService
from project.domain.services.collections import CollectionService
from project.domain.services.exports import ExportService
from project.domain.services.imports import ImportJobService, ImportService
from project.domain.services.passwords import PasswordService
from project.domain.services.search import SearchService
from project.domain.services.second_factor import SecondFactorService
from project.domain.services.sessions import SessionService
from project.domain.services.smart_lists import SmartListService
from project.domain.services.tags import TagService
from project.entrypoints.container import Container, close_container
from project.entrypoints.logging import log_through_stdlib_unless_configured
from project.entrypoints.settings import Settings, load_settings


@dataclass(frozen=True, slots=True)
class Project:
    """The application services of one configured instance."""

    settings: Settings
    auth: AuthenticationService
    sessions: SessionService
    passwords: PasswordService
    accounts: AccountService
    admin: AdministrationService
    tokens: ApiTokenService
    audit: AuditTrailService
    second_factor: SecondFactorService
    bookmarks: BookmarkService
    search: SearchService
    tags: TagService
    collections: CollectionService
    smart_lists: SmartListService
    imports: ImportService
    import_jobs: ImportJobService
    exports: ExportService
    archive: ArchiveService
    container: Container

    @classmethod
    def from_container(cls, container: Container) -> Project:
        return cls(
            settings=container.settings(),
            auth=container.authentication(),
            sessions=container.sessions(),
            passwords=container.passwords(),
            accounts=container.accounts(),
            admin=container.administration(),
            tokens=container.api_tokens(),
            audit=container.audit(),
            second_factor=container.second_factor(),
            bookmarks=container.bookmarks(),
            search=container.search(),
            tags=container.tags(),
            collections=container.collections(),
            smart_lists=container.smart_lists(),
            imports=container.imports(),
            import_jobs=container.import_jobs(),
            exports=container.exports(),
            archive=container.archive(),
            container=container,
        )

    async def check_database(self) -> None:
        """Raise if the database cannot answer a trivial query."""
        from project.adapters.sql import check_database

        await check_database(self.container.engine())

    async def readiness(self) -> dict[str, str]:
        """Each backing service this instance uses -> "ok" or what is wrong with it.

        Messages name the failure's type only: driver messages can carry hosts and users.
        """
        from project.entrypoints.checks import dependency_checks

        return await dependency_checks(self.container)

    async def aclose(self) -> None:
        await close_container(self.container)


def build(settings: Settings) -> Project:
    return Project.from_container(Container(settings=settings))


async def migrate_if_embedded(settings: Settings) -> None:
    """Bring an embedded (SQLite) database to the newest schema; PostgreSQL is migrated
    explicitly by the operator with `project db upgrade` unless PROJECT_AUTO_MIGRATE says so."""
    from project.adapters.sql import upgrade_async

    auto = settings.auto_migrate if settings.auto_migrate is not None else settings.is_sqlite
    if auto:
        if settings.is_sqlite:
            settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        await upgrade_async(settings.resolved_database_url)


@asynccontextmanager
async def open_project(
    settings: Settings | None = None, *, migrate: bool = True
) -> AsyncIterator[Project]:
    """Build a Project from `settings` (default: the environment) and close it on exit.

    With `migrate` (the default) an embedded SQLite database is created or upgraded first.
    """
    resolved = settings if settings is not None else load_settings()
    log_through_stdlib_unless_configured()
    if migrate:
        await migrate_if_embedded(resolved)
    app = build(resolved)
    try:
        yield app
    finally:
        await app.aclose()
