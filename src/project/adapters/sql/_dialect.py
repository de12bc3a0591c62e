"""The few statements that need a dialect's own syntax."""

from __future__ import annotations

from sqlalchemy import Column, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Insert


def insert_unless_taken(table: Table, dialect_name: str, unique: Column[str]) -> Insert:
    """`INSERT ... ON CONFLICT (unique) DO NOTHING`: a clash changes nothing and raises nothing.

    Unlike catching IntegrityError this leaves a PostgreSQL transaction usable, needs no
    savepoint (which sqlite3's legacy transaction mode mishandles) and is race-free.
    """
    if dialect_name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing(index_elements=[unique])
    if dialect_name == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing(index_elements=[unique])
    raise ValueError(f"unsupported dialect {dialect_name}")
