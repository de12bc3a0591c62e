"""The HTTP app end to end, on a SQLite file and on a real PostgreSQL.

`app_settings` is parametrized over both backends; `client` runs the whole app (lifespan
included) in process. PostgreSQL is migrated once per session and emptied before each test;
SQLite gets a fresh data directory, migrated by the app's own lifespan.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import delete

from project.adapters.sql import create_engine, upgrade_async
from project.adapters.sql.tables import metadata
from project.entrypoints.settings import Environment, Settings
from tests.e2e._http_kit import Client, make_app

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
async def migrated_postgres_url(postgres_url: str) -> str:
    await upgrade_async(postgres_url)
    return postgres_url


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest) -> str | None:
    """PostgreSQL's session database, or None: SQLite lives in the test's data dir."""
    if backend != "postgres":
        return None
    url: str = request.getfixturevalue("migrated_postgres_url")
    return url


@pytest.fixture
async def empty_database(database_url: str | None) -> str | None:
    """Tests share the session's PostgreSQL database, so each one starts with no rows."""
    if database_url is not None:
        engine = create_engine(database_url)
        try:
            async with engine.begin() as connection:
                for table in reversed(metadata.sorted_tables):
                    await connection.execute(delete(table))
        finally:
            await engine.dispose()
    return database_url


@pytest.fixture
def app_settings(empty_database: str | None, tmp_path: Path) -> Settings:
    """Settings of a test instance; its data dir (secret, outbox, SQLite) is the test's own."""
    return Settings(
        env=Environment.TEST,
        data_dir=tmp_path / "data",
        database_url=empty_database,
        # No background fetches of the made-up URLs these tests save; the archiving tests
        # build their own settings against a local site.
        archive_on_save=False,
        worker_in_app=False,
        # Every request of a test comes from one client address; the tests of the limits
        # (test_http_rate_limits.py) set their own.
        login_ip_attempts=100_000,
        api_anonymous_requests_per_minute=100_000,
    ).resolve()


@pytest.fixture
async def client(app_settings: Settings) -> AsyncIterator[Client]:
    async with AsyncTestClient(app=make_app(app_settings)) as test_client:
        yield test_client
