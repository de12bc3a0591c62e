"""The few statements that need a dialect's own syntax."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Column, ColumnElement, Table, func, literal_column
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Insert


def insert_unless_taken(table: Table, dialect_name: str, *unique: Column[Any]) -> Insert:
    """`INSERT ... ON CONFLICT (unique) DO NOTHING`: a clash changes nothing and raises nothing.

    Unlike catching IntegrityError this leaves a PostgreSQL transaction usable, needs no
    savepoint (which sqlite3's legacy transaction mode mishandles) and is race-free.
    """
    if dialect_name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing(index_elements=list(unique))
    if dialect_name == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing(index_elements=list(unique))
    raise ValueError(f"unsupported dialect {dialect_name}")


def upsert(
    table: Table,
    dialect_name: str,
    key: Sequence[Column[Any]],
    values: dict[str, Any],
    *,
    overwrite: Sequence[str],
) -> Insert:
    """`INSERT ... ON CONFLICT (key) DO UPDATE`: insert the row, or overwrite some columns."""
    changed = {name: values[name] for name in overwrite}
    if dialect_name == "postgresql":
        pg = postgresql.insert(table).values(values)
        return pg.on_conflict_do_update(index_elements=key, set_=changed)
    if dialect_name == "sqlite":
        lite = sqlite.insert(table).values(values)
        return lite.on_conflict_do_update(index_elements=key, set_=changed)
    raise ValueError(f"unsupported dialect {dialect_name}")


def joined_names(dialect_name: str, name: Column[str]) -> ColumnElement[str]:
    """The names of a group joined by single spaces (tag names never hold whitespace)."""
    separator: ColumnElement[str] = literal_column("' '")
    if dialect_name == "postgresql":
        return func.string_agg(name, separator)
    return func.group_concat(name, separator)
