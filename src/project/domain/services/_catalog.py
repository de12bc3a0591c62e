"""What the core service's use cases share: their ports and the access decisions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import msgspec

from project.domain.model.access import Relation
from project.domain.model.archiving import archive_keys
from project.domain.model.bookmarks import Bookmark
from project.domain.model.cache_keys import ACCESS_TTL, COLLECTIONS, access_key
from project.domain.model.collections import Collection, MemberRole
from project.domain.model.errors import NotFound
from project.domain.model.ids import BookmarkId, CollectionId, UserId
from project.domain.services._cached import ReadCache
from project.ports.blobs import BlobStore
from project.ports.catalog import CatalogUnitOfWork, CatalogUnitOfWorkFactory
from project.ports.files import BookmarkFileReader, BookmarkFileWriter
from project.ports.jobs import BackgroundTasks
from project.ports.queue import JobQueue
from project.ports.system import Clock, IdGenerator

_ROLE_RELATION = {MemberRole.VIEWER: Relation.VIEWER, MemberRole.EDITOR: Relation.EDITOR}


@dataclass(frozen=True, slots=True)
class CatalogDeps:
    uow: CatalogUnitOfWorkFactory
    clock: Clock
    ids: IdGenerator
    blobs: BlobStore
    tasks: BackgroundTasks
    readers: Mapping[str, BookmarkFileReader]
    writers: Mapping[str, BookmarkFileWriter]
    # With a queue, new bookmarks saved through the API are archived in the background.
    queue: JobQueue | None = None
    archive_on_save: bool = True
    # Hot reads (first list pages, tag counts, collection access) through the cache.
    cache: ReadCache = field(default_factory=ReadCache)


async def collection_relation(
    uow: CatalogUnitOfWork, user_id: UserId | None, collection: Collection
) -> Relation:
    if user_id is None:
        return Relation.STRANGER
    if collection.owner_id == user_id:
        return Relation.OWNER
    membership = await uow.memberships.get(collection.id, user_id)
    return _ROLE_RELATION[membership.role] if membership else Relation.STRANGER


async def bookmark_relation(
    uow: CatalogUnitOfWork, user_id: UserId, bookmark: Bookmark
) -> Relation:
    """The owner of a bookmark owns it; otherwise the caller's role in its collection."""
    if bookmark.owner_id == user_id:
        return Relation.OWNER
    if bookmark.collection_id is None:
        return Relation.STRANGER
    collection = await uow.collections.get(bookmark.collection_id)
    if collection is None:
        return Relation.STRANGER
    return await collection_relation(uow, user_id, collection)


async def load_collection(
    uow: CatalogUnitOfWork, user_id: UserId | None, collection_id: CollectionId
) -> tuple[Collection, Relation]:
    """The collection and the caller's relation; NotFound when it does not exist."""
    collection = await uow.collections.get(collection_id)
    if collection is None:
        raise NotFound("No such collection.")
    return collection, await collection_relation(uow, user_id, collection)


class _Access(msgspec.Struct, frozen=True, kw_only=True):
    collection: Collection
    relation: Relation


async def cached_collection(
    deps: CatalogDeps, user_id: UserId, collection_id: CollectionId
) -> tuple[Collection, Relation]:
    """`load_collection` for read paths, through the cache: the entry is keyed by the version
    every collection and membership write moves, so a change of access is seen at once.
    Writes decide access from their own transaction instead."""

    async def load() -> _Access:
        async with deps.uow() as uow:
            collection, relation = await load_collection(uow, user_id, collection_id)
        return _Access(collection=collection, relation=relation)

    version = await deps.cache.version(COLLECTIONS)
    key = access_key(collection_id, user_id, version)
    access = await deps.cache.get_or_load(key, _Access, load, ACCESS_TTL)
    return access.collection, access.relation


async def delete_archives(blobs: BlobStore, bookmark_ids: Iterable[BookmarkId]) -> None:
    """Remove what archiving stored for these (deleted) bookmarks. Their keys are theirs
    alone (derived from ids never reused), and deleting a missing key is no error."""
    for bookmark_id in bookmark_ids:
        for key in archive_keys(bookmark_id):
            await blobs.delete(key)
