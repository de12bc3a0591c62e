"""Saved searches in `smart_lists`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from project.adapters.sql.catalog_tables import smart_lists
from project.domain.model.ids import SmartListId, UserId
from project.domain.model.pages import Sort
from project.domain.model.smart_lists import SmartList


class SqlSmartListRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def get(self, smart_list_id: SmartListId) -> SmartList | None:
        statement = select(smart_lists).where(smart_lists.c.id == smart_list_id)
        row = (await self._conn.execute(statement)).first()
        return None if row is None else _to_smart_list(row)

    async def list(self, owner_id: UserId) -> Sequence[SmartList]:
        """By name, case-insensitively, then id: the same order on every backend."""
        statement = select(smart_lists).where(smart_lists.c.owner_id == owner_id)
        found = [_to_smart_list(row) for row in await self._conn.execute(statement)]
        return sorted(found, key=lambda s: (s.name.casefold(), s.name, s.id))

    async def add(self, smart_list: SmartList) -> None:
        await self._conn.execute(insert(smart_lists).values(_values(smart_list)))

    async def update(self, smart_list: SmartList) -> None:
        statement = update(smart_lists).where(smart_lists.c.id == smart_list.id)
        await self._conn.execute(statement.values(_values(smart_list)))

    async def delete(self, smart_list_id: SmartListId) -> None:
        await self._conn.execute(delete(smart_lists).where(smart_lists.c.id == smart_list_id))


def _values(smart_list: SmartList) -> dict[str, Any]:
    return {
        "id": smart_list.id,
        "owner_id": smart_list.owner_id,
        "name": smart_list.name,
        "query": smart_list.query,
        "sort": smart_list.sort.value,
        "created_at": smart_list.created_at,
        "updated_at": smart_list.updated_at,
    }


def _to_smart_list(row: Row[Any]) -> SmartList:
    return SmartList(
        id=SmartListId(row.id),
        owner_id=UserId(row.owner_id),
        name=row.name,
        query=row.query,
        sort=Sort(row.sort),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )
