"""Bookmarks in `bookmarks` with their tags in `bookmark_tags`."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, nullcontext
from typing import Any

from sqlalchemy import Text, Uuid, bindparam, delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from project.adapters.sql._bookmark_rows import (
    bookmark_values,
    canonical_hash,
    select_bookmarks,
    tag_values,
    to_bookmark,
)
from project.adapters.sql._dialect import insert_unless_taken
from project.adapters.sql.catalog_tables import bookmark_tags, bookmarks
from project.domain.model.bookmarks import Bookmark
from project.domain.model.errors import DuplicateBookmark
from project.domain.model.ids import BookmarkId, UserId

BATCH_SIZE = 1000
_DUPLICATE_MARKERS = ("uq_bookmarks_owner_canonical", "bookmarks.canonical_hash")

# PostgreSQL takes a batch's tags as three arrays in one statement: as an executemany it runs
# a statement per tag, which costs an import of 100k bookmarks (250k tags) ~2 s.
_TAG_COLUMNS = ("bookmark_id", "owner_id", "name")
_tag_arrays = (
    func.unnest(
        bindparam("bookmark_ids", type_=ARRAY(Uuid)),
        bindparam("owner_ids", type_=ARRAY(Uuid)),
        bindparam("names", type_=ARRAY(Text)),
    )
    .table_valued(*_TAG_COLUMNS)
    .render_derived()
)
_INSERT_TAG_ARRAYS = insert(bookmark_tags).from_select(
    _TAG_COLUMNS, select(*(_tag_arrays.c[name] for name in _TAG_COLUMNS))
)


class SqlBookmarkRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection
        self._dialect = connection.dialect.name

    async def get(self, bookmark_id: BookmarkId) -> Bookmark | None:
        statement = select_bookmarks(self._dialect).where(bookmarks.c.id == bookmark_id)
        row = (await self._conn.execute(statement)).first()
        return None if row is None else to_bookmark(row)

    async def get_many(self, bookmark_ids: Sequence[BookmarkId]) -> Sequence[Bookmark]:
        found: list[Bookmark] = []
        for chunk in _chunks(list(dict.fromkeys(bookmark_ids))):
            statement = select_bookmarks(self._dialect).where(bookmarks.c.id.in_(chunk))
            found.extend(to_bookmark(row) for row in await self._conn.execute(statement))
        return found

    async def find_by_canonical_url(self, owner_id: UserId, canonical: str) -> Bookmark | None:
        found = await self.find_by_canonical_urls(owner_id, [canonical])
        return found.get(canonical)

    async def find_by_canonical_urls(
        self, owner_id: UserId, canonicals: Sequence[str]
    ) -> Mapping[str, Bookmark]:
        found: dict[str, Bookmark] = {}
        for chunk in _chunks(list(dict.fromkeys(canonicals))):
            statement = select_bookmarks(self._dialect).where(
                bookmarks.c.owner_id == owner_id,
                bookmarks.c.canonical_hash.in_([canonical_hash(url) for url in chunk]),
            )
            for row in await self._conn.execute(statement):
                found[row.canonical_url] = to_bookmark(row)
        return found

    async def add(self, bookmark: Bookmark) -> None:
        """Leaves the transaction usable when it raises DuplicateBookmark (nothing is written)."""
        statement = insert_unless_taken(
            bookmarks, self._dialect, bookmarks.c.owner_id, bookmarks.c.canonical_hash
        )
        statement = statement.values(bookmark_values(bookmark)).returning(bookmarks.c.id)
        if (await self._conn.execute(statement)).first() is None:
            raise await self._duplicate_of(bookmark, other_than=None)
        await self._insert_tags([bookmark])

    async def add_many(self, bookmarks_: Sequence[Bookmark]) -> set[BookmarkId]:
        """Insert the batch in a few statements, skipping (not failing on) taken URLs."""
        inserted: set[BookmarkId] = set()
        statement = insert_unless_taken(
            bookmarks, self._dialect, bookmarks.c.owner_id, bookmarks.c.canonical_hash
        ).returning(bookmarks.c.id)
        for chunk in _chunks(list(bookmarks_)):
            rows = await self._conn.execute(statement, [bookmark_values(b) for b in chunk])
            inserted.update(BookmarkId(row.id) for row in rows)
        # The tags of the whole batch in one statement: each round trip to the driver costs.
        await self._insert_tags([b for b in bookmarks_ if b.id in inserted])
        return inserted

    async def update(self, bookmark: Bookmark, *, expected_version: int) -> bool:
        """One conditional UPDATE; on PostgreSQL inside a savepoint, so that a URL clash
        (DuplicateBookmark) leaves the transaction usable as it does on SQLite."""
        values = bookmark_values(bookmark)
        del values["id"], values["owner_id"]
        statement = (
            update(bookmarks)
            .where(bookmarks.c.id == bookmark.id, bookmarks.c.version == expected_version)
            .values(values)
        )
        try:
            async with self._guard():
                updated = (await self._conn.execute(statement)).rowcount == 1
        except IntegrityError as error:
            if not any(marker in str(error.orig) for marker in _DUPLICATE_MARKERS):
                raise
            raise await self._duplicate_of(bookmark, other_than=bookmark.id) from None
        if updated:
            await self._replace_tags(bookmark)
        return updated

    async def delete(self, bookmark_id: BookmarkId) -> None:
        await self._conn.execute(delete(bookmarks).where(bookmarks.c.id == bookmark_id))

    async def storage_used(self, owner_id: UserId) -> int:
        total = func.coalesce(func.sum(bookmarks.c.archive_bytes), 0)
        statement = select(total).where(bookmarks.c.owner_id == owner_id)
        # PostgreSQL sums a bigint column as numeric (a Decimal here).
        return int((await self._conn.execute(statement)).scalar_one())

    async def export_batch(
        self, owner_id: UserId, *, after: BookmarkId | None, limit: int
    ) -> Sequence[Bookmark]:
        statement = select_bookmarks(self._dialect).where(bookmarks.c.owner_id == owner_id)
        if after is not None:
            statement = statement.where(bookmarks.c.id > after)
        statement = statement.order_by(bookmarks.c.id).limit(limit)
        return [to_bookmark(row) for row in await self._conn.execute(statement)]

    def _guard(self) -> AbstractAsyncContextManager[object]:
        if self._dialect == "postgresql":
            return self._conn.begin_nested()
        return nullcontext()  # SQLite undoes only the failed statement

    async def _duplicate_of(
        self, bookmark: Bookmark, *, other_than: BookmarkId | None
    ) -> DuplicateBookmark:
        statement = select(bookmarks.c.id).where(
            bookmarks.c.owner_id == bookmark.owner_id,
            bookmarks.c.canonical_hash == canonical_hash(bookmark.canonical_url),
        )
        if other_than is not None:
            statement = statement.where(bookmarks.c.id != other_than)
        existing = (await self._conn.execute(statement)).scalar_one_or_none()
        return DuplicateBookmark(
            "You already saved this link.", existing_id=BookmarkId(existing) if existing else None
        )

    async def _insert_tags(self, bookmarks_: Sequence[Bookmark]) -> None:
        rows = tag_values(bookmarks_)
        if not rows:
            return
        if self._dialect == "postgresql":
            arrays = {f"{name}s": [row[name] for row in rows] for name in _TAG_COLUMNS}
            await self._conn.execute(_INSERT_TAG_ARRAYS, arrays)
        else:
            await self._conn.execute(insert(bookmark_tags), rows)

    async def _replace_tags(self, bookmark: Bookmark) -> None:
        stale = delete(bookmark_tags).where(bookmark_tags.c.bookmark_id == bookmark.id)
        if bookmark.tags:
            stale = stale.where(bookmark_tags.c.name.not_in(bookmark.tags))
        await self._conn.execute(stale)
        rows = tag_values([bookmark])
        if rows:
            keep = insert_unless_taken(
                bookmark_tags, self._dialect, bookmark_tags.c.bookmark_id, bookmark_tags.c.name
            )
            await self._conn.execute(keep, rows)


def _chunks(items: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(items), BATCH_SIZE):
        yield items[start : start + BATCH_SIZE]
