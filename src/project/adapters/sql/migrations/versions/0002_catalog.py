"""Catalog schema: collections, members, bookmarks, tags, smart lists, import jobs; full text.

Full text is each dialect's own, over title, description, notes, url, the page's title and
description and the archived page's text (the first 200,000 characters of it):
- PostgreSQL: `bookmarks.search_vector`, a stored generated tsvector ('simple': no stemming,
  no stop words) weighted A (titles) to D (page text), with a GIN index. ASCII punctuation is
  turned into spaces first, so `example.com/a-b` is the words `example com a b` as on SQLite,
  not one host token for PostgreSQL's parser.
- SQLite: `bookmarks_fts`, a contentless FTS5 table (unicode61, diacritics removed) whose rows
  triggers keep in step with `bookmarks`. `bookmarks_fts_keys` gives each bookmark a stable
  integer key for it (the implicit rowid of `bookmarks` may change on VACUUM).

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-02 00:00:00
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PAGE_TEXT_INDEXED = 200_000


def _time(name: str, *, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _uuid(name: str, *, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.Uuid(), nullable=nullable)


def _binary_text(length: int) -> sa.String:
    return sa.String(length).with_variant(sa.String(length, collation="C"), "postgresql")


def _fk(column: str, table: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def upgrade() -> None:
    _create_collections()
    _create_bookmarks()
    _create_smart_lists_and_imports()
    dialect = op.get_context().dialect.name
    if dialect == "postgresql":
        _create_postgresql_full_text()
    elif dialect == "sqlite":
        _create_sqlite_full_text()


def downgrade() -> None:
    if op.get_context().dialect.name == "sqlite":
        for trigger in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS bookmarks_fts_{trigger}")
        op.execute("DROP TABLE IF EXISTS bookmarks_fts")
        op.execute("DROP TABLE IF EXISTS bookmarks_fts_keys")
    for table in (
        "import_jobs",
        "smart_lists",
        "bookmark_tags",
        "bookmarks",
        "collection_members",
        "collections",
    ):
        op.drop_table(table)  # drops the table's indexes, constraints and search_vector


def _create_collections() -> None:
    op.create_table(
        "collections",
        _uuid("id"),
        _uuid("owner_id"),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("description", sa.String(2000), nullable=False),
        sa.Column("public_slug", sa.String(64), nullable=True),
        _time("created_at"),
        _time("updated_at"),
        _fk("owner_id", "collections", "users", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collections")),
        sa.UniqueConstraint("public_slug", name=op.f("uq_collections_public_slug")),
    )
    op.create_index(op.f("ix_collections_owner_id"), "collections", ["owner_id"])

    op.create_table(
        "collection_members",
        _uuid("collection_id"),
        _uuid("user_id"),
        sa.Column("role", sa.String(16), nullable=False),
        _time("added_at"),
        _fk("collection_id", "collection_members", "collections", "CASCADE"),
        _fk("user_id", "collection_members", "users", "CASCADE"),
        sa.CheckConstraint("role IN ('viewer', 'editor')", name=op.f("ck_collection_members_role")),
        sa.PrimaryKeyConstraint("collection_id", "user_id", name=op.f("pk_collection_members")),
    )
    op.create_index(op.f("ix_collection_members_user_id"), "collection_members", ["user_id"])


def _create_bookmarks() -> None:
    op.create_table(
        "bookmarks",
        _uuid("id"),
        _uuid("owner_id"),
        sa.Column("url", sa.String(2048), nullable=False),
        sa.Column("canonical_url", sa.Text(), nullable=False),
        sa.Column("canonical_hash", sa.String(64), nullable=False),
        sa.Column("site_key", _binary_text(500), nullable=False),
        sa.Column("title", sa.String(512), nullable=False),
        sa.Column("sort_title", _binary_text(200), nullable=False),
        sa.Column("description", sa.String(4096), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        _uuid("collection_id", nullable=True),
        sa.Column("unread", sa.Boolean(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("favorite", sa.Boolean(), nullable=False),
        _time("created_at"),
        _time("updated_at"),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("page_title", sa.Text(), nullable=False),
        sa.Column("page_description", sa.Text(), nullable=False),
        sa.Column("page_site_name", sa.Text(), nullable=False),
        sa.Column("page_language", sa.Text(), nullable=False),
        sa.Column("page_favicon_key", sa.String(512), nullable=True),
        sa.Column("page_preview_key", sa.String(512), nullable=True),
        sa.Column("page_word_count", sa.Integer(), nullable=True),
        sa.Column("archive_status", sa.String(16), nullable=False),
        sa.Column("archive_error", sa.Text(), nullable=True),
        sa.Column("page_text", sa.Text(), nullable=True),
        _fk("owner_id", "bookmarks", "users", "CASCADE"),
        _fk("collection_id", "bookmarks", "collections", "SET NULL"),
        sa.CheckConstraint(
            "archive_status IN ('none', 'pending', 'archived', 'failed')",
            name=op.f("ck_bookmarks_archive_status"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bookmarks")),
        sa.UniqueConstraint(
            "owner_id", "canonical_hash", name=op.f("uq_bookmarks_owner_canonical")
        ),
    )
    op.create_index("ix_bookmarks_owner_created", "bookmarks", ["owner_id", "created_at", "id"])
    op.create_index("ix_bookmarks_owner_title", "bookmarks", ["owner_id", "sort_title", "id"])
    op.create_index("ix_bookmarks_owner_site", "bookmarks", ["owner_id", "site_key"])
    op.create_index(
        "ix_bookmarks_collection_created", "bookmarks", ["collection_id", "created_at", "id"]
    )

    op.create_table(
        "bookmark_tags",
        _uuid("bookmark_id"),
        _uuid("owner_id"),
        sa.Column("name", sa.String(64), nullable=False),
        _fk("bookmark_id", "bookmark_tags", "bookmarks", "CASCADE"),
        sa.PrimaryKeyConstraint("bookmark_id", "name", name=op.f("pk_bookmark_tags")),
    )
    op.create_index("ix_bookmark_tags_owner_name", "bookmark_tags", ["owner_id", "name"])


def _create_smart_lists_and_imports() -> None:
    op.create_table(
        "smart_lists",
        _uuid("id"),
        _uuid("owner_id"),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("query", sa.String(1000), nullable=False),
        sa.Column("sort", sa.String(16), nullable=False),
        _time("created_at"),
        _time("updated_at"),
        _fk("owner_id", "smart_lists", "users", "CASCADE"),
        sa.CheckConstraint(
            "sort IN ('newest', 'oldest', 'title', 'relevance')", name=op.f("ck_smart_lists_sort")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_smart_lists")),
    )
    op.create_index(op.f("ix_smart_lists_owner_id"), "smart_lists", ["owner_id"])

    op.create_table(
        "import_jobs",
        _uuid("id"),
        _uuid("owner_id"),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("file_format", sa.String(16), nullable=False),
        sa.Column("folders_as_tags", sa.Boolean(), nullable=False),
        _time("created_at"),
        _time("finished_at", nullable=True),
        sa.Column(
            "report", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("error", sa.Text(), nullable=True),
        _fk("owner_id", "import_jobs", "users", "CASCADE"),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'done', 'failed')", name=op.f("ck_import_jobs_status")
        ),
        sa.CheckConstraint("mode IN ('skip', 'update')", name=op.f("ck_import_jobs_mode")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_jobs")),
    )
    op.create_index(op.f("ix_import_jobs_owner_id"), "import_jobs", ["owner_id"])


def _pg_vector(weight: str, text: str) -> str:
    # regexp_replace, not translate(): an order of magnitude faster on UTF-8 text.
    words = f"regexp_replace({text}, '[!-/:-@\\[-`{{-~]+', ' ', 'g')"
    return f"setweight(to_tsvector('simple'::regconfig, {words}), '{weight}')"


def _create_postgresql_full_text() -> None:
    vector = " || ".join(
        (
            _pg_vector("A", "title || ' ' || page_title"),
            _pg_vector("B", "description || ' ' || page_description"),
            _pg_vector("C", "notes || ' ' || url"),
            _pg_vector("D", f"left(coalesce(page_text, ''), {PAGE_TEXT_INDEXED})"),
        )
    )
    op.execute(
        f"ALTER TABLE bookmarks ADD COLUMN search_vector tsvector "
        f"GENERATED ALWAYS AS ({vector}) STORED"
    )
    op.execute("CREATE INDEX ix_bookmarks_search_vector ON bookmarks USING gin (search_vector)")


_SQLITE_FULL_TEXT = (
    """CREATE TABLE bookmarks_fts_keys (
        fts_rowid INTEGER PRIMARY KEY,
        bookmark_id CHAR(32) NOT NULL UNIQUE
    )""",
    """CREATE VIRTUAL TABLE bookmarks_fts USING fts5(
        title, description, notes, url, page_title, page_description, page_text,
        content='', tokenize='unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER bookmarks_fts_insert AFTER INSERT ON bookmarks BEGIN
        INSERT INTO bookmarks_fts_keys (bookmark_id) VALUES (new.id);
        INSERT INTO bookmarks_fts (
            rowid, title, description, notes, url, page_title, page_description, page_text
        )
        SELECT fts_rowid, new.title, new.description, new.notes, new.url, new.page_title,
            new.page_description, substr(coalesce(new.page_text, ''), 1, 200000)
        FROM bookmarks_fts_keys WHERE bookmark_id = new.id;
    END""",
    # A contentless table forgets a row by being told exactly what it indexed for it.
    """CREATE TRIGGER bookmarks_fts_update AFTER UPDATE OF
        title, description, notes, url, page_title, page_description, page_text ON bookmarks
    WHEN old.title IS NOT new.title OR old.description IS NOT new.description
        OR old.notes IS NOT new.notes OR old.url IS NOT new.url
        OR old.page_title IS NOT new.page_title
        OR old.page_description IS NOT new.page_description
        OR old.page_text IS NOT new.page_text
    BEGIN
        INSERT INTO bookmarks_fts (
            bookmarks_fts, rowid, title, description, notes, url, page_title,
            page_description, page_text
        )
        SELECT 'delete', fts_rowid, old.title, old.description, old.notes, old.url,
            old.page_title, old.page_description, substr(coalesce(old.page_text, ''), 1, 200000)
        FROM bookmarks_fts_keys WHERE bookmark_id = old.id;
        INSERT INTO bookmarks_fts (
            rowid, title, description, notes, url, page_title, page_description, page_text
        )
        SELECT fts_rowid, new.title, new.description, new.notes, new.url, new.page_title,
            new.page_description, substr(coalesce(new.page_text, ''), 1, 200000)
        FROM bookmarks_fts_keys WHERE bookmark_id = new.id;
    END""",
    """CREATE TRIGGER bookmarks_fts_delete AFTER DELETE ON bookmarks BEGIN
        INSERT INTO bookmarks_fts (
            bookmarks_fts, rowid, title, description, notes, url, page_title,
            page_description, page_text
        )
        SELECT 'delete', fts_rowid, old.title, old.description, old.notes, old.url,
            old.page_title, old.page_description, substr(coalesce(old.page_text, ''), 1, 200000)
        FROM bookmarks_fts_keys WHERE bookmark_id = old.id;
        DELETE FROM bookmarks_fts_keys WHERE bookmark_id = old.id;
    END""",
)


def _create_sqlite_full_text() -> None:
    for statement in _SQLITE_FULL_TEXT:
        op.execute(statement)
