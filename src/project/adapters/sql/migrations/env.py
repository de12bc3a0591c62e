"""Alembic environment: runs the migrations on the async driver of the configured URL.

Loaded by alembic through `project.adapters.sql.migrations`, never imported directly. Logging is
left to the application: no `fileConfig` here.
"""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import Connection, pool
from sqlalchemy.ext.asyncio import create_async_engine

from project.adapters.sql.catalog_tables import include_in_schema
from project.adapters.sql.tables import metadata

config = context.config


def _url() -> str:
    url = config.attributes.get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database URL: set config.attributes['url']")
    return str(url)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_in_schema,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async() -> None:
    # A plain engine without the app's PRAGMA foreign_keys=ON: SQLite batch migrations copy
    # and drop tables, and with enforcement on a drop would cascade into the child rows.
    engine = create_async_engine(_url(), poolclass=pool.NullPool)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run)
    finally:
        await engine.dispose()


def _run_offline() -> None:
    url = _url()
    context.configure(
        url=url,
        target_metadata=metadata,
        literal_binds=True,
        render_as_batch=url.startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    _run_offline()
elif (connection := config.attributes.get("connection")) is not None:
    _run(connection)
else:
    asyncio.run(_run_async())
