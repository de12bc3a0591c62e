"""Schema migrations (Alembic), shipped inside the package: no alembic.ini needed.

`upgrade`, `downgrade` and `current` are synchronous and run their own event loop through
`asyncio.run`, so they must not be called from a coroutine; inside a running loop use
`upgrade_async`, which runs the same work in a worker thread.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, pool
from sqlalchemy.ext.asyncio import create_async_engine

from project.adapters.sql.engine import to_async_url

SCRIPT_LOCATION = Path(__file__).resolve().parent

__all__ = ["SCRIPT_LOCATION", "current", "downgrade", "head", "upgrade", "upgrade_async"]


def upgrade(url: str, revision: str = "head") -> None:
    """Migrate the database at `url` up to `revision` (default: the newest)."""
    _refuse_running_loop("upgrade")
    command.upgrade(_config(url), revision)


async def upgrade_async(url: str, revision: str = "head") -> None:
    """`upgrade` for callers inside an event loop: runs in a worker thread with its own loop."""
    await asyncio.to_thread(upgrade, url, revision)


def downgrade(url: str, revision: str) -> None:
    """Migrate the database at `url` down to `revision` (`"base"` removes the whole schema)."""
    _refuse_running_loop("downgrade")
    command.downgrade(_config(url), revision)


def current(url: str) -> str | None:
    """The revision the database is at, or None when it was never migrated."""
    _refuse_running_loop("current")
    return asyncio.run(_current(to_async_url(url)))


def head() -> str:
    """The newest revision the package ships."""
    revision = ScriptDirectory.from_config(_config("")).get_current_head()
    if revision is None:
        raise RuntimeError("the package ships no migrations")
    return revision


def _config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    # Passed as an attribute, not an ini option: configparser would read `%` as interpolation.
    config.attributes["url"] = to_async_url(url)
    return config


async def _current(url: str) -> str | None:
    engine = create_async_engine(url, poolclass=pool.NullPool)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(_revision_of)
    finally:
        await engine.dispose()


def _revision_of(connection: Connection) -> str | None:
    revision: str | None = MigrationContext.configure(connection).get_current_revision()
    return revision


def _refuse_running_loop(name: str) -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return
    raise RuntimeError(f"{name}() runs its own event loop; inside a coroutine use upgrade_async()")
