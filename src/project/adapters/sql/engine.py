"""Async engines for SQLite (embedded) and PostgreSQL (production), and URL helpers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

_ASYNC_SCHEMES = {
    "postgres://": "postgresql+asyncpg://",
    "postgresql://": "postgresql+asyncpg://",
    "sqlite://": "sqlite+aiosqlite://",
}

# WAL lets readers run beside the one writer; busy_timeout makes a second writer wait for the
# lock instead of failing. sqlite3's legacy transaction mode is kept on purpose: it begins a
# transaction at the first write, so the lock is taken there and a waiting writer sees the
# committed result (a conditional UPDATE then finds nothing to change, as on PostgreSQL).
_SQLITE_PRAGMAS = (
    "PRAGMA foreign_keys=ON",
    "PRAGMA journal_mode=WAL",
    "PRAGMA busy_timeout=5000",
    "PRAGMA synchronous=NORMAL",
    # Statement journals and sorts in memory, and a 64 MiB page cache: bulk writes (imports)
    # otherwise spend most of their time in temporary files.
    "PRAGMA temp_store=MEMORY",
    "PRAGMA cache_size=-65536",
)


def to_async_url(url: str) -> str:
    """Name the async driver in a plain `postgresql://`, `postgres://` or `sqlite://` URL."""
    for plain, async_scheme in _ASYNC_SCHEMES.items():
        if url.startswith(plain):
            return async_scheme + url.removeprefix(plain)
    return url


def mask_url(url: str) -> str:
    """The URL with its password replaced by `***`, fit for logs and error messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparsable database url>"


def create_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    """An AsyncEngine for a SQLite or PostgreSQL URL (plain URLs get the async driver).

    Raises:
        ValueError: the URL names another database.
    """
    async_url = to_async_url(url)
    backend = make_url(async_url).get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(async_url, echo=echo)
    if backend == "postgresql":
        return create_async_engine(
            async_url,
            echo=echo,
            pool_size=10,
            max_overflow=10,
            pool_pre_ping=True,
            pool_recycle=1800,
        )
    raise ValueError(f"unsupported database {mask_url(url)}: use sqlite or postgresql")


def _sqlite_engine(url: str, *, echo: bool) -> AsyncEngine:
    engine = create_async_engine(url, echo=echo)
    event.listen(engine.sync_engine, "connect", _set_sqlite_pragmas)
    return engine


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        for pragma in _SQLITE_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()
