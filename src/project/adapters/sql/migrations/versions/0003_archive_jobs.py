"""Archive jobs: the database's record of each bookmark's archiving (SPEC 3.7, R5).

Revision ID: 0003
Revises: 0002
Create Date: 2025-01-03 00:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "archive_jobs",
        sa.Column("bookmark_id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["bookmark_id"],
            ["bookmarks.id"],
            name=op.f("fk_archive_jobs_bookmark_id_bookmarks"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name=op.f("fk_archive_jobs_owner_id_users"),
            ondelete="CASCADE",
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'running', 'done', 'failed')",
            name=op.f("ck_archive_jobs_status"),
        ),
        sa.PrimaryKeyConstraint("bookmark_id", name=op.f("pk_archive_jobs")),
    )
    op.create_index(op.f("ix_archive_jobs_owner_id"), "archive_jobs", ["owner_id"])
    op.create_index(
        "ix_archive_jobs_status_next_attempt_at", "archive_jobs", ["status", "next_attempt_at"]
    )


def downgrade() -> None:
    op.drop_table("archive_jobs")
