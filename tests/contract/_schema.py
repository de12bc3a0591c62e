"""Reading a live schema back, to compare what the migrations built with tables.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect

from project.adapters.sql import create_engine
from project.adapters.sql.catalog_tables import include_in_schema
from project.adapters.sql.tables import metadata

_T = TypeVar("_T")


async def schema_differences(url: str) -> list[Any]:
    """What autogenerate would change to make the database match tables.py (empty: equal)."""
    return await _inspect(url, _differences)


async def table_names(url: str) -> set[str]:
    return await _inspect(url, _table_names)


def _table_names(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


def _differences(connection: Connection) -> list[Any]:
    # The dialect's own full-text objects (FTS5 tables, the tsvector column) are not in tables.py.
    opts = {"compare_type": True, "include_object": include_in_schema}
    context = MigrationContext.configure(connection, opts=opts)
    differences: list[Any] = compare_metadata(context, metadata)
    return differences


async def _inspect(url: str, read: Callable[[Connection], _T]) -> _T:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(read)
    finally:
        await engine.dispose()
