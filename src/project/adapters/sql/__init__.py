"""SQL persistence (SQLAlchemy Core): SQLite for embedded use, PostgreSQL in production."""

from project.adapters.sql.engine import create_engine, mask_url, to_async_url
from project.adapters.sql.migrations import current, downgrade, head, upgrade, upgrade_async
from project.adapters.sql.uow import SqlUnitOfWork, SqlUnitOfWorkFactory, check_database

__all__ = [
    "SqlUnitOfWork",
    "SqlUnitOfWorkFactory",
    "check_database",
    "create_engine",
    "current",
    "downgrade",
    "head",
    "mask_url",
    "to_async_url",
    "upgrade",
    "upgrade_async",
]
