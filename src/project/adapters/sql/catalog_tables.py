"""The catalog schema (bookmarks, tags, collections, smart lists, imports) on the shared metadata.

Full-text objects are the dialect's own and live only in migration 0002: the `search_vector`
column and its GIN index on PostgreSQL, the `bookmarks_fts*` tables and triggers on SQLite.
`include_in_schema` tells Alembic's comparison to leave them out.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.dialects.postgresql import JSONB

from project.adapters.sql._types import UtcDateTime
from project.adapters.sql.tables import metadata
from project.domain.model.blobs import MAX_KEY_LENGTH
from project.domain.model.bookmarks import MAX_DESCRIPTION_LENGTH, MAX_TITLE_LENGTH
from project.domain.model.collections import (
    MAX_COLLECTION_DESCRIPTION_LENGTH,
    MAX_COLLECTION_NAME_LENGTH,
)
from project.domain.model.smart_lists import MAX_QUERY_LENGTH, MAX_SMART_LIST_NAME_LENGTH
from project.domain.model.tags import MAX_TAG_LENGTH
from project.domain.model.urls import MAX_URL_LENGTH

URL_HASH_LENGTH = 64  # hex SHA-256 of the canonical URL
SORT_TITLE_LENGTH = 200
SITE_KEY_LENGTH = 500
SLUG_LENGTH = 64
STATUS_LENGTH = 16


def _binary_text(length: int) -> String:
    """Text in code-point order on both backends (SQLite's default; "C" on PostgreSQL), so a
    sort or a range reads the same whatever the server's locale."""
    return String(length).with_variant(String(length, collation="C"), "postgresql")


FULL_TEXT_OBJECTS = ("bookmarks_fts", "search_vector", "ix_bookmarks_search_vector")


def include_in_schema(_object: Any, name: str | None, _type: str, *_: Any) -> bool:
    """Alembic `include_object`: every object but the full-text ones migration 0002 adds."""
    return name is None or not name.startswith(FULL_TEXT_OBJECTS)


def _owner(*, index: bool = True) -> Column[Any]:
    return Column(
        "owner_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=index
    )


collections = Table(
    "collections",
    metadata,
    Column("id", Uuid, primary_key=True),
    _owner(),
    Column("name", String(MAX_COLLECTION_NAME_LENGTH), nullable=False),
    Column("description", String(MAX_COLLECTION_DESCRIPTION_LENGTH), nullable=False),
    Column("public_slug", String(SLUG_LENGTH), nullable=True, unique=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

collection_members = Table(
    "collection_members",
    metadata,
    Column("collection_id", Uuid, ForeignKey("collections.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("role", String(STATUS_LENGTH), nullable=False),
    Column("added_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("collection_id", "user_id"),
    CheckConstraint("role IN ('viewer', 'editor')", name="role"),
)

bookmarks = Table(
    "bookmarks",
    metadata,
    Column("id", Uuid, primary_key=True),
    _owner(index=False),
    Column("url", String(MAX_URL_LENGTH), nullable=False),
    # Canonical forms can outgrow a btree entry (percent-encoding triples non-ASCII), so
    # uniqueness is on their hash.
    Column("canonical_url", Text, nullable=False),
    Column("canonical_hash", String(URL_HASH_LENGTH), nullable=False),
    # The host's labels reversed, dot-ended (`com.example.docs.`): a site and its subdomains
    # are one key range.
    Column("site_key", _binary_text(SITE_KEY_LENGTH), nullable=False),
    Column("title", String(MAX_TITLE_LENGTH), nullable=False),
    Column("sort_title", _binary_text(SORT_TITLE_LENGTH), nullable=False),
    Column("description", String(MAX_DESCRIPTION_LENGTH), nullable=False),
    Column("notes", Text, nullable=False),
    Column(
        "collection_id",
        Uuid,
        ForeignKey("collections.id", ondelete="SET NULL"),
        nullable=True,
    ),
    Column("unread", Boolean, nullable=False),
    Column("archived", Boolean, nullable=False),
    Column("favorite", Boolean, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("version", Integer, nullable=False),
    Column("page_title", Text, nullable=False),
    Column("page_description", Text, nullable=False),
    Column("page_site_name", Text, nullable=False),
    Column("page_language", Text, nullable=False),
    Column("page_favicon_key", String(MAX_KEY_LENGTH), nullable=True),
    Column("page_preview_key", String(MAX_KEY_LENGTH), nullable=True),
    Column("page_word_count", Integer, nullable=True),
    Column("archive_status", String(STATUS_LENGTH), nullable=False),
    Column("archive_error", Text, nullable=True),
    # Bytes the bookmark's archive takes in the blob store, summed per owner for the quota.
    Column("archive_bytes", BigInteger, nullable=False, server_default="0"),
    Column("page_text", Text, nullable=True),
    UniqueConstraint("owner_id", "canonical_hash", name="uq_bookmarks_owner_canonical"),
    CheckConstraint(
        "archive_status IN ('none', 'pending', 'archived', 'failed')", name="archive_status"
    ),
    Index("ix_bookmarks_owner_created", "owner_id", "created_at", "id"),
    Index("ix_bookmarks_owner_title", "owner_id", "sort_title", "id"),
    Index("ix_bookmarks_owner_site", "owner_id", "site_key"),
    Index("ix_bookmarks_collection_created", "collection_id", "created_at", "id"),
)

bookmark_tags = Table(
    "bookmark_tags",
    metadata,
    Column("bookmark_id", Uuid, ForeignKey("bookmarks.id", ondelete="CASCADE"), nullable=False),
    # A copy of the bookmark's owner, so per-user tag work never joins bookmarks.
    Column("owner_id", Uuid, nullable=False),
    Column("name", String(MAX_TAG_LENGTH), nullable=False),
    PrimaryKeyConstraint("bookmark_id", "name"),
    Index("ix_bookmark_tags_owner_name", "owner_id", "name"),
)

smart_lists = Table(
    "smart_lists",
    metadata,
    Column("id", Uuid, primary_key=True),
    _owner(),
    Column("name", String(MAX_SMART_LIST_NAME_LENGTH), nullable=False),
    Column("query", String(MAX_QUERY_LENGTH), nullable=False),
    Column("sort", String(STATUS_LENGTH), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    CheckConstraint("sort IN ('newest', 'oldest', 'title', 'relevance')", name="sort"),
)

import_jobs = Table(
    "import_jobs",
    metadata,
    Column("id", Uuid, primary_key=True),
    _owner(),
    Column("status", String(STATUS_LENGTH), nullable=False),
    Column("file_name", Text, nullable=False),
    Column("mode", String(STATUS_LENGTH), nullable=False),
    Column("file_format", String(STATUS_LENGTH), nullable=False),
    Column("folders_as_tags", Boolean, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("finished_at", UtcDateTime, nullable=True),
    Column("report", JSON().with_variant(JSONB(), "postgresql"), nullable=False),
    Column("error", Text, nullable=True),
    CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="status"),
    CheckConstraint("mode IN ('skip', 'update')", name="mode"),
)

archive_jobs = Table(
    "archive_jobs",
    metadata,
    Column("bookmark_id", Uuid, ForeignKey("bookmarks.id", ondelete="CASCADE"), primary_key=True),
    _owner(),
    Column("status", String(STATUS_LENGTH), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime, nullable=False),
    Column("lease_until", UtcDateTime, nullable=True),
    Column("last_error", Text, nullable=True),
    Column("updated_at", UtcDateTime, nullable=False),
    CheckConstraint("status IN ('pending', 'running', 'done', 'failed')", name="status"),
    # The sweep's question: which unfinished jobs are due?
    Index("ix_archive_jobs_status_next_attempt_at", "status", "next_attempt_at"),
)
