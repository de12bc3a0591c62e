"""Fixtures shared by every suite: a throwaway PostgreSQL database.

The server defaults to postgres@127.0.0.1:5432 (trust auth); `PROJECT_TEST_POSTGRES_URL` names
another admin URL. When the server cannot be reached the tests that need it skip, except
under `CI=true`, where they fail: CI must never pass by skipping the production database.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator, Iterator

import asyncpg  # type: ignore[import-untyped]
import pytest
import structlog
from hypothesis import settings
from sqlalchemy.engine import URL, make_url

DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def _admin_url() -> URL:
    return make_url(os.environ.get("PROJECT_TEST_POSTGRES_URL", DEFAULT_ADMIN_URL))


async def _admin_connection(admin: URL) -> asyncpg.Connection:
    return await asyncpg.connect(
        host=admin.host or "127.0.0.1",
        port=admin.port or 5432,
        user=admin.username or "postgres",
        password=admin.password,
        database=admin.database or "postgres",
        timeout=5,
    )


async def create_database(admin: URL) -> str:
    """Create an empty `project_test_<hex>` database; return its asyncpg SQLAlchemy URL."""
    name = f"project_test_{secrets.token_hex(6)}"
    connection = await _admin_connection(admin)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    url = admin.set(drivername="postgresql+asyncpg", database=name)
    return url.render_as_string(hide_password=False)


async def drop_database(admin: URL, url: str) -> None:
    connection = await _admin_connection(admin)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')
    finally:
        await connection.close()


@pytest.fixture(scope="session")
async def postgres_admin_url() -> URL:
    """The admin URL of a reachable server; skips (or fails under CI=true) otherwise."""
    admin = _admin_url()
    try:
        connection = await _admin_connection(admin)
    except (OSError, TimeoutError, asyncpg.PostgresError) as error:
        where = admin.render_as_string(hide_password=True)
        message = f"PostgreSQL at {where} is unreachable: {error!r}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{message} (CI=true: the PostgreSQL tests must run)", pytrace=False)
        pytest.skip(message)
    await connection.close()
    return admin


@pytest.fixture(scope="session")
async def postgres_url(postgres_admin_url: URL) -> AsyncIterator[str]:
    """A fresh, empty database for the whole session, dropped at the end."""
    url = await create_database(postgres_admin_url)
    yield url
    await drop_database(postgres_admin_url, url)


@pytest.fixture
async def fresh_postgres_url(postgres_admin_url: URL) -> AsyncIterator[str]:
    """A fresh, empty database for one test, for tests that reshape the schema."""
    url = await create_database(postgres_admin_url)
    yield url
    await drop_database(postgres_admin_url, url)


# No per-example deadline: speed is measured by the benchmarks, never asserted in a test, and
# on a loaded machine a 200 ms deadline fails a correct example (seen: the JSON Lines
# round trip while the suite ran twice at once).
settings.register_profile("project", deadline=None)
settings.load_profile("project")


@pytest.fixture(autouse=True)
def _structlog_defaults() -> Iterator[None]:
    """Each test starts from structlog's defaults: a CLI command run in process configures
    logging (warnings only) for the whole process, which would hide later tests' events."""
    yield
    structlog.reset_defaults()


# Test reports that carry a line for the run's summary, under these user-property names:
# the query plans test_query_plans.py checked, and each schemathesis run's case count.
SUMMARY_SECTIONS = {"query plan": "query plans (EXPLAIN)", "schemathesis": "schemathesis runs"}


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print those lines at the end of the run. User properties travel back from xdist
    workers with the reports, so CI logs show them (a print inside a worker is lost)."""
    for property_name, title in SUMMARY_SECTIONS.items():
        lines: dict[str, None] = {}
        for category in ("passed", "failed"):
            for report in terminalreporter.stats.get(category, []):
                for name, value in getattr(report, "user_properties", ()):
                    if name == property_name:
                        lines[str(value)] = None
        if lines:
            terminalreporter.section(title)
            for line in lines:
                terminalreporter.write_line(line)
