"""Bookmarks: save, read, edit, delete, check and bulk-edit (SPEC 3.2)."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import datetime

import msgspec

from project.domain.model.access import Action, Relation, authorize, is_allowed
from project.domain.model.archiving import ARCHIVE_JOB, ArchiveJob
from project.domain.model.bookmarks import ArchiveStatus, Bookmark, BookmarkChanges
from project.domain.model.cache_keys import catalog_scope
from project.domain.model.errors import (
    DuplicateBookmark,
    InvalidInput,
    NotFound,
    PermissionDenied,
    PreconditionFailed,
)
from project.domain.model.ids import BookmarkId, CollectionId, UserId
from project.domain.model.principal import Principal
from project.domain.model.urls import canonical_url, check_bookmark_url
from project.domain.services._catalog import (
    CatalogDeps,
    bookmark_relation,
    delete_archives,
    load_collection,
)
from project.ports.catalog import CatalogUnitOfWork

MAX_BULK_IDS = 500


class BookmarkDraft(msgspec.Struct, frozen=True, kw_only=True):
    url: str
    title: str = ""
    description: str = ""
    notes: str = ""
    tags: tuple[str, ...] = ()
    collection_id: CollectionId | None = None
    unread: bool = False
    archived: bool = False
    favorite: bool = False


class BulkAction(enum.StrEnum):
    TAG = "tag"
    UNTAG = "untag"
    MARK_READ = "mark_read"
    MARK_UNREAD = "mark_unread"
    ARCHIVE = "archive"
    UNARCHIVE = "unarchive"
    FAVORITE = "favorite"
    UNFAVORITE = "unfavorite"
    MOVE = "move"
    DELETE = "delete"


class BulkResult(msgspec.Struct, frozen=True, kw_only=True):
    changed: int
    unchanged: int
    # Ids the caller cannot see or edit are reported together, so existence does not leak.
    not_found: tuple[BookmarkId, ...]


class UrlCheck(msgspec.Struct, frozen=True, kw_only=True):
    canonical_url: str
    bookmark: Bookmark | None


_FLAG_ACTIONS: dict[BulkAction, BookmarkChanges] = {
    BulkAction.MARK_READ: BookmarkChanges(unread=False),
    BulkAction.MARK_UNREAD: BookmarkChanges(unread=True),
    BulkAction.ARCHIVE: BookmarkChanges(archived=True),
    BulkAction.UNARCHIVE: BookmarkChanges(archived=False),
    BulkAction.FAVORITE: BookmarkChanges(favorite=True),
    BulkAction.UNFAVORITE: BookmarkChanges(favorite=False),
}


class BookmarkService:
    def __init__(self, deps: CatalogDeps) -> None:
        self._d = deps

    async def create(self, actor: Principal, draft: BookmarkDraft) -> Bookmark:
        """Save a link. Raises DuplicateBookmark (409, with the existing id) when the caller
        already saved the same canonical URL."""
        bookmark = Bookmark.create(
            id=BookmarkId(self._d.ids.new_id()),
            owner_id=actor.user_id,
            at=self._d.clock.now(),
            **msgspec.structs.asdict(draft),
        )
        archive = self._d.archive_on_save and self._d.queue is not None
        if archive:
            bookmark.archive_status = ArchiveStatus.PENDING
        async with self._d.uow() as uow:
            if draft.collection_id is not None:
                await _require_collection(uow, actor, draft.collection_id, Action.ADD_BOOKMARK)
            await uow.bookmarks.add(bookmark)
            if archive:
                job = ArchiveJob.new(bookmark.id, bookmark.owner_id, bookmark.created_at)
                await uow.archive_jobs.save(job)
            await uow.commit()
        await self._d.cache.bump(catalog_scope(bookmark.owner_id))
        if archive and self._d.queue is not None:
            # Only a hint: a lost message is found again by the sweep (R5).
            await self._d.queue.enqueue(ARCHIVE_JOB, str(bookmark.id))
        return bookmark

    async def get(self, actor: Principal, bookmark_id: BookmarkId) -> Bookmark:
        async with self._d.uow() as uow:
            bookmark, _ = await _load(uow, actor, bookmark_id, Action.READ)
        return bookmark

    async def update(
        self,
        actor: Principal,
        bookmark_id: BookmarkId,
        changes: BookmarkChanges,
        *,
        if_match: int | None = None,
    ) -> Bookmark:
        """Apply a partial edit; PreconditionFailed (412) when `if_match` is stale."""
        async with self._d.uow() as uow:
            bookmark, _ = await _load(uow, actor, bookmark_id, Action.EDIT_BOOKMARK)
            bookmark.check_version(if_match)
            await self._move_check(uow, actor, bookmark, changes)
            await _save(uow, bookmark, changes, self._d.clock.now())
            await uow.commit()
        await self._d.cache.bump(catalog_scope(bookmark.owner_id))
        return bookmark

    async def delete(
        self, actor: Principal, bookmark_id: BookmarkId, *, if_match: int | None = None
    ) -> None:
        async with self._d.uow() as uow:
            bookmark, _ = await _load(uow, actor, bookmark_id, Action.DELETE_BOOKMARK)
            bookmark.check_version(if_match)
            await uow.bookmarks.delete(bookmark.id)
            await uow.commit()
        await self._d.cache.bump(catalog_scope(bookmark.owner_id))
        self._forget_archives([bookmark.id])

    async def check_url(self, actor: Principal, url: str) -> UrlCheck:
        """Whether the caller already saved this link (by canonical URL)."""
        canonical = canonical_url(check_bookmark_url(url))
        async with self._d.uow() as uow:
            found = await uow.bookmarks.find_by_canonical_url(actor.user_id, canonical)
        return UrlCheck(canonical_url=canonical, bookmark=found)

    async def bulk(
        self,
        actor: Principal,
        ids: Sequence[BookmarkId],
        action: BulkAction,
        *,
        tags: Sequence[str] = (),
        collection_id: CollectionId | None = None,
    ) -> BulkResult:
        """Apply one action to many bookmarks in one transaction."""
        unique = list(dict.fromkeys(ids))
        if not 1 <= len(unique) <= MAX_BULK_IDS:
            raise InvalidInput(f"Give 1 to {MAX_BULK_IDS} bookmark ids.")
        if action in (BulkAction.TAG, BulkAction.UNTAG) and not tags:
            raise InvalidInput(f"The '{action}' action needs tags.")
        now = self._d.clock.now()
        changed = unchanged = 0
        missing: list[BookmarkId] = []
        owners: set[UserId] = set()  # whose listings the edit changes
        async with self._d.uow() as uow:
            if action is BulkAction.MOVE and collection_id is not None:
                await _require_collection(uow, actor, collection_id, Action.ADD_BOOKMARK)
            found = {b.id: b for b in await uow.bookmarks.get_many(unique)}
            needed = Action.DELETE_BOOKMARK if action is BulkAction.DELETE else Action.EDIT_BOOKMARK
            for bookmark_id in unique:
                bookmark = found.get(bookmark_id)
                if (
                    bookmark is None
                    or not await _may(uow, actor, bookmark, needed)
                    or (action is BulkAction.MOVE and not _may_move(actor, bookmark, collection_id))
                ):
                    missing.append(bookmark_id)
                    continue
                if await _bulk_one(uow, bookmark, action, tags, collection_id, now):
                    changed += 1
                    owners.add(bookmark.owner_id)
                else:
                    unchanged += 1
            await uow.commit()
        await self._d.cache.bump(*(catalog_scope(owner) for owner in owners))
        if action is BulkAction.DELETE:
            refused = set(missing)
            self._forget_archives([i for i in unique if i not in refused])
        return BulkResult(changed=changed, unchanged=unchanged, not_found=tuple(missing))

    def _forget_archives(self, deleted: Sequence[BookmarkId]) -> None:
        """Their snapshots and images go in the background: the rows (and the bytes counted
        against the quota) are gone already, and a bulk delete may name hundreds."""
        if deleted:
            blobs = self._d.blobs
            self._d.tasks.spawn("delete archives", lambda: delete_archives(blobs, deleted))

    async def _move_check(
        self, uow: CatalogUnitOfWork, actor: Principal, bookmark: Bookmark, changes: BookmarkChanges
    ) -> None:
        target = changes.collection_id
        if isinstance(target, msgspec.UnsetType) or target == bookmark.collection_id:
            return
        if not _may_move(actor, bookmark, target):
            raise PermissionDenied("Only the bookmark's owner can move it to another collection.")
        if target is not None:
            await _require_collection(uow, actor, target, Action.ADD_BOOKMARK)


def _may_move(actor: Principal, bookmark: Bookmark, target: CollectionId | None) -> bool:
    """Where a bookmark lives decides who sees it, so only its owner moves it elsewhere.

    The collection's owner and editors may take it out of their collection (None), which
    narrows who sees it; they may not put someone else's bookmark where they choose.
    """
    return bookmark.owner_id == actor.user_id or target is None


async def _bulk_one(
    uow: CatalogUnitOfWork,
    bookmark: Bookmark,
    action: BulkAction,
    tags: Sequence[str],
    collection_id: CollectionId | None,
    at: datetime,
) -> bool:
    if action is BulkAction.DELETE:
        await uow.bookmarks.delete(bookmark.id)
        return True
    expected = bookmark.version
    if action is BulkAction.TAG:
        moved = bookmark.add_tags(tags, at)
    elif action is BulkAction.UNTAG:
        moved = bookmark.remove_tags(tags, at)
    elif action is BulkAction.MOVE:
        moved = bookmark.apply(BookmarkChanges(collection_id=collection_id), at)
    else:
        moved = bookmark.apply(_FLAG_ACTIONS[action], at)
    if moved and not await uow.bookmarks.update(bookmark, expected_version=expected):
        raise PreconditionFailed("A bookmark changed during the bulk edit; retry.")
    return moved


async def _may(
    uow: CatalogUnitOfWork, actor: Principal, bookmark: Bookmark, action: Action
) -> bool:
    return is_allowed(await bookmark_relation(uow, actor.user_id, bookmark), action)


async def _load(
    uow: CatalogUnitOfWork, actor: Principal, bookmark_id: BookmarkId, action: Action
) -> tuple[Bookmark, Relation]:
    bookmark = await uow.bookmarks.get(bookmark_id)
    relation = (
        await bookmark_relation(uow, actor.user_id, bookmark)
        if bookmark is not None
        else Relation.STRANGER
    )
    authorize(relation, action, what="bookmark")
    assert bookmark is not None  # authorize refuses strangers
    return bookmark, relation


async def _require_collection(
    uow: CatalogUnitOfWork, actor: Principal, collection_id: CollectionId, action: Action
) -> None:
    try:
        _, relation = await load_collection(uow, actor.user_id, collection_id)
    except NotFound:
        raise InvalidInput("No such collection.") from None
    if relation is Relation.STRANGER:
        raise InvalidInput("No such collection.")
    authorize(relation, action, what="collection")


async def _save(
    uow: CatalogUnitOfWork, bookmark: Bookmark, changes: BookmarkChanges, at: datetime
) -> None:
    expected = bookmark.version
    if not bookmark.apply(changes, at):
        return
    if not await uow.bookmarks.update(bookmark, expected_version=expected):
        raise PreconditionFailed("The bookmark changed since you read it; reload and retry.")


__all__ = [
    "BookmarkDraft",
    "BookmarkService",
    "BulkAction",
    "BulkResult",
    "DuplicateBookmark",
    "UrlCheck",
]
