"""Tag counts, renames, merges and deletions: set-based, a few statements whatever the count."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from project.adapters.sql.catalog_tables import bookmark_tags, bookmarks
from project.domain.model.ids import UserId
from project.ports.catalog import TagCount


class SqlTagRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def counts(self, owner_id: UserId) -> Sequence[TagCount]:
        """By name in code-point order (the same on every backend and locale)."""
        statement = (
            select(bookmark_tags.c.name, func.count())
            .where(bookmark_tags.c.owner_id == owner_id)
            .group_by(bookmark_tags.c.name)
        )
        rows = await self._conn.execute(statement)
        counts = [TagCount(name=name, count=count) for name, count in rows]
        return sorted(counts, key=lambda tag: tag.name)

    async def rename(self, owner_id: UserId, old: str, new: str, *, at: datetime) -> int:
        if old == new:
            return 0
        changed = await self._touch(owner_id, old, at)
        holding_new = _holding(owner_id, new)
        await self._conn.execute(
            delete(bookmark_tags).where(
                bookmark_tags.c.owner_id == owner_id,
                bookmark_tags.c.name == old,
                bookmark_tags.c.bookmark_id.in_(holding_new),
            )
        )
        await self._conn.execute(
            update(bookmark_tags)
            .where(bookmark_tags.c.owner_id == owner_id, bookmark_tags.c.name == old)
            .values(name=new)
        )
        return changed

    async def delete(self, owner_id: UserId, name: str, *, at: datetime) -> int:
        changed = await self._touch(owner_id, name, at)
        await self._conn.execute(
            delete(bookmark_tags).where(
                bookmark_tags.c.owner_id == owner_id, bookmark_tags.c.name == name
            )
        )
        return changed

    async def _touch(self, owner_id: UserId, name: str, at: datetime) -> int:
        """Move on the version of every bookmark of the owner holding the tag."""
        statement = (
            update(bookmarks)
            .where(bookmarks.c.id.in_(_holding(owner_id, name)))
            .values(version=bookmarks.c.version + 1, updated_at=at)
        )
        return (await self._conn.execute(statement)).rowcount


def _holding(owner_id: UserId, name: str) -> Select[tuple[object]]:
    return select(bookmark_tags.c.bookmark_id).where(
        bookmark_tags.c.owner_id == owner_id, bookmark_tags.c.name == name
    )
