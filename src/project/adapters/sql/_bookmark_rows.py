"""Bookmark rows <-> Bookmark entities, and the select that loads a bookmark with its tags."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, select

from project.adapters.sql._dialect import joined_names
from project.adapters.sql.catalog_tables import (
    SITE_KEY_LENGTH,
    SORT_TITLE_LENGTH,
    bookmark_tags,
    bookmarks,
)
from project.domain.model.bookmarks import ArchiveStatus, Bookmark, PageMetadata
from project.domain.model.ids import BookmarkId, CollectionId, UserId

# Everything a Bookmark holds; the page text is written for search and never read back.
LISTED_COLUMNS = tuple(column for column in bookmarks.c if column.name != "page_text")
_ARCHIVE_STATUSES = {status.value: status for status in ArchiveStatus}  # faster than the call


def canonical_hash(canonical: str) -> str:
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def site_key(host: str) -> str:
    """`docs.example.com` -> `com.example.docs.`: every subdomain of a site sorts right after
    the site, so `site:` is a range over an index."""
    labels = host.rstrip(".").split(".")
    return (".".join(reversed(labels)) + ".")[:SITE_KEY_LENGTH]


def _host_of(canonical: str) -> str:
    """The host of a canonical URL (`scheme://host[:port]/...`), without the port."""
    authority = canonical.partition("://")[2].partition("/")[0]
    if authority.startswith("["):
        return authority.partition("]")[0] + "]"
    return authority.partition(":")[0]


def sort_title(bookmark: Bookmark) -> str:
    """What the title sort orders by: the title shown (or the URL), case-folded."""
    shown = bookmark.title.strip() or bookmark.page.title.strip() or bookmark.url
    return shown.casefold()[:SORT_TITLE_LENGTH]


def tag_names(dialect_name: str, bookmark_id: ColumnElement[Any]) -> ColumnElement[str | None]:
    """A correlated subquery: the bookmark's tags joined by spaces, NULL when it has none."""
    names = joined_names(dialect_name, bookmark_tags.c.name)
    return (
        select(names)
        .where(bookmark_tags.c.bookmark_id == bookmark_id)
        .scalar_subquery()
        .label("tag_names")
    )


def select_bookmarks(dialect_name: str) -> Select[Any]:
    """Bookmarks with their tags: one statement, whatever the number of rows."""
    return select(*LISTED_COLUMNS, tag_names(dialect_name, bookmarks.c.id))


def bookmark_values(bookmark: Bookmark) -> dict[str, Any]:
    page = bookmark.page
    return {
        "id": bookmark.id,
        "owner_id": bookmark.owner_id,
        "url": bookmark.url,
        "canonical_url": bookmark.canonical_url,
        "canonical_hash": canonical_hash(bookmark.canonical_url),
        "site_key": site_key(_host_of(bookmark.canonical_url)),
        "title": bookmark.title,
        "sort_title": sort_title(bookmark),
        "description": bookmark.description,
        "notes": bookmark.notes,
        "collection_id": bookmark.collection_id,
        "unread": bookmark.unread,
        "archived": bookmark.archived,
        "favorite": bookmark.favorite,
        "created_at": bookmark.created_at,
        "updated_at": bookmark.updated_at,
        "version": bookmark.version,
        "page_title": page.title,
        "page_description": page.description,
        "page_site_name": page.site_name,
        "page_language": page.language,
        "page_favicon_key": page.favicon_key,
        "page_preview_key": page.preview_key,
        "page_word_count": page.word_count,
        "archive_status": bookmark.archive_status.value,
        "archive_error": bookmark.archive_error,
        "archive_bytes": bookmark.archive_bytes,
    }


def tag_values(bookmarks_: Sequence[Bookmark]) -> list[dict[str, Any]]:
    return [
        {"bookmark_id": bookmark.id, "owner_id": bookmark.owner_id, "name": name}
        for bookmark in bookmarks_
        for name in bookmark.tags
    ]


def to_bookmark(row: Row[Any]) -> Bookmark:
    return Bookmark(
        id=BookmarkId(row.id),
        owner_id=UserId(row.owner_id),
        url=row.url,
        canonical_url=row.canonical_url,
        title=row.title,
        description=row.description,
        notes=row.notes,
        tags=tuple(sorted(row.tag_names.split(" "))) if row.tag_names else (),
        collection_id=None if row.collection_id is None else CollectionId(row.collection_id),
        unread=row.unread,
        archived=row.archived,
        favorite=row.favorite,
        created_at=row.created_at,
        updated_at=row.updated_at,
        version=row.version,
        page=PageMetadata(
            title=row.page_title,
            description=row.page_description,
            site_name=row.page_site_name,
            language=row.page_language,
            favicon_key=row.page_favicon_key,
            preview_key=row.page_preview_key,
            word_count=row.page_word_count,
        ),
        archive_status=_ARCHIVE_STATUSES[row.archive_status],
        archive_error=row.archive_error,
        archive_bytes=row.archive_bytes,
    )
