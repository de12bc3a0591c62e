"""Storage quota (S23): the bytes each bookmark's archive takes, summed per owner.

Archives stored before this revision count as 0 bytes until they are archived again.

Revision ID: 0005
Revises: 0004
Create Date: 2025-01-05 00:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "bookmarks",
        sa.Column("archive_bytes", sa.BigInteger(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite >= 3.35): a batch copy of `bookmarks` would lose the
    # full-text triggers migration 0002 put on it.
    op.drop_column("bookmarks", "archive_bytes")
