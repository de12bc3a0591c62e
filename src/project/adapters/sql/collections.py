"""Collections (`collections`) and their members (`collection_members`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, delete, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from project.adapters.sql._dialect import upsert
from project.adapters.sql.catalog_tables import bookmarks, collection_members, collections
from project.domain.model.collections import Collection, MemberRole, Membership
from project.domain.model.ids import CollectionId, UserId

_members = collection_members


class SqlCollectionRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def get(self, collection_id: CollectionId) -> Collection | None:
        statement = select(collections).where(collections.c.id == collection_id)
        row = (await self._conn.execute(statement)).first()
        return None if row is None else _to_collection(row)

    async def get_by_slug(self, slug: str) -> Collection | None:
        statement = select(collections).where(collections.c.public_slug == slug)
        row = (await self._conn.execute(statement)).first()
        return None if row is None else _to_collection(row)

    async def add(self, collection: Collection) -> None:
        await self._conn.execute(insert(collections).values(_values(collection)))

    async def update(self, collection: Collection) -> None:
        statement = update(collections).where(collections.c.id == collection.id)
        await self._conn.execute(statement.values(_values(collection)))

    async def delete(self, collection_id: CollectionId, *, at: datetime) -> set[UserId]:
        """Unassign its bookmarks (their versions move on), then drop members and itself."""
        owners = await self._conn.execute(
            select(bookmarks.c.owner_id)
            .where(bookmarks.c.collection_id == collection_id)
            .distinct()
        )
        unassigned = {UserId(row.owner_id) for row in owners}
        await self._conn.execute(
            update(bookmarks)
            .where(bookmarks.c.collection_id == collection_id)
            .values(collection_id=None, version=bookmarks.c.version + 1, updated_at=at)
        )
        await self._conn.execute(delete(_members).where(_members.c.collection_id == collection_id))
        await self._conn.execute(delete(collections).where(collections.c.id == collection_id))
        return unassigned

    async def list_for_user(self, user_id: UserId) -> Sequence[Collection]:
        """By name, case-insensitively, then id: the same order on every backend."""
        member_of = select(_members.c.collection_id).where(_members.c.user_id == user_id)
        statement = select(collections).where(
            or_(collections.c.owner_id == user_id, collections.c.id.in_(member_of))
        )
        found = [_to_collection(row) for row in await self._conn.execute(statement)]
        return sorted(found, key=lambda c: (c.name.casefold(), c.name, c.id))


class SqlMembershipRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def get(self, collection_id: CollectionId, user_id: UserId) -> Membership | None:
        statement = select(_members).where(
            _members.c.collection_id == collection_id, _members.c.user_id == user_id
        )
        row = (await self._conn.execute(statement)).first()
        return None if row is None else _to_membership(row)

    async def list(self, collection_id: CollectionId) -> Sequence[Membership]:
        """Oldest membership first."""
        statement = (
            select(_members)
            .where(_members.c.collection_id == collection_id)
            .order_by(_members.c.added_at, _members.c.user_id)
        )
        return [_to_membership(row) for row in await self._conn.execute(statement)]

    async def collections_of(self, user_id: UserId) -> Sequence[CollectionId]:
        statement = (
            select(_members.c.collection_id)
            .where(_members.c.user_id == user_id)
            .order_by(_members.c.collection_id)
        )
        return [CollectionId(value) for value in (await self._conn.execute(statement)).scalars()]

    async def save(self, membership: Membership) -> None:
        values = {
            "collection_id": membership.collection_id,
            "user_id": membership.user_id,
            "role": membership.role.value,
            "added_at": membership.added_at,
        }
        key = [_members.c.collection_id, _members.c.user_id]
        statement = upsert(_members, self._conn.dialect.name, key, values, overwrite=["role"])
        await self._conn.execute(statement)

    async def delete(self, collection_id: CollectionId, user_id: UserId) -> None:
        await self._conn.execute(
            delete(_members).where(
                _members.c.collection_id == collection_id, _members.c.user_id == user_id
            )
        )


def _values(collection: Collection) -> dict[str, Any]:
    return {
        "id": collection.id,
        "owner_id": collection.owner_id,
        "name": collection.name,
        "description": collection.description,
        "public_slug": collection.public_slug,
        "created_at": collection.created_at,
        "updated_at": collection.updated_at,
    }


def _to_collection(row: Row[Any]) -> Collection:
    return Collection(
        id=CollectionId(row.id),
        owner_id=UserId(row.owner_id),
        name=row.name,
        description=row.description,
        public_slug=row.public_slug,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _to_membership(row: Row[Any]) -> Membership:
    return Membership(
        collection_id=CollectionId(row.collection_id),
        user_id=UserId(row.user_id),
        role=MemberRole(row.role),
        added_at=row.added_at,
    )
