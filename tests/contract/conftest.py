"""Backends for the repository contract suite: in memory, a SQLite file, a real PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine

from project.adapters.memory import InMemoryUnitOfWorkFactory
from project.adapters.sql import SqlUnitOfWorkFactory, create_engine, upgrade_async
from project.adapters.sql.tables import metadata
from project.ports.repositories import UnitOfWorkFactory

BACKENDS = ["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
SQL_BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
async def sqlite_engine(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[AsyncEngine]:
    path = tmp_path_factory.mktemp("contract") / "project.db"
    url = f"sqlite+aiosqlite:///{path}"
    await upgrade_async(url)
    engine = create_engine(url)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
async def postgres_engine(postgres_url: str) -> AsyncIterator[AsyncEngine]:
    await upgrade_async(postgres_url)
    engine = create_engine(postgres_url)
    yield engine
    await engine.dispose()


@pytest.fixture(params=BACKENDS)
def uow_backend(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture
def uow_engine(uow_backend: str, request: pytest.FixtureRequest) -> AsyncEngine | None:
    """The migrated engine of a SQL backend (shared by the session), None for memory."""
    if uow_backend == "memory":
        return None
    sql_engine: AsyncEngine = request.getfixturevalue(f"{uow_backend}_engine")
    return sql_engine


@pytest.fixture
async def uow_factory(uow_engine: AsyncEngine | None) -> UnitOfWorkFactory:
    """A unit-of-work factory over an empty store."""
    if uow_engine is None:
        return InMemoryUnitOfWorkFactory()
    async with uow_engine.begin() as connection:
        for table in reversed(metadata.sorted_tables):
            await connection.execute(delete(table))
    return SqlUnitOfWorkFactory(uow_engine)


@pytest.fixture(params=SQL_BACKENDS)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database of its own with no schema, for tests that migrate up and down."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
    url: str = request.getfixturevalue("fresh_postgres_url")
    return url


# --- the catalog (bookmarks, tags, collections, smart lists, imports) ------------------------

CATALOG_BACKENDS = SQL_BACKENDS


@pytest.fixture(params=CATALOG_BACKENDS)
def catalog_engine(request: pytest.FixtureRequest) -> AsyncEngine:
    """The migrated engine of a SQL backend, shared by the session."""
    sql_engine: AsyncEngine = request.getfixturevalue(f"{request.param}_engine")
    return sql_engine


@pytest.fixture
async def catalog_uow_factory(catalog_engine: AsyncEngine) -> SqlUnitOfWorkFactory:
    """A unit-of-work factory (auth and catalog ports) over an empty store.

    Deleting bookmarks fires the SQLite triggers that empty the FTS5 index with them.
    """
    async with catalog_engine.begin() as connection:
        for table in reversed(metadata.sorted_tables):
            await connection.execute(delete(table))
    return SqlUnitOfWorkFactory(catalog_engine)
