"""Persistence ports of the core service: bookmarks, tags, collections, smart lists, imports.

Every read is scoped by the caller the service names (an owner, a collection the service has
already authorized), so adapters never decide access themselves (S13).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Protocol

import msgspec

from project.domain.model.archiving import ArchiveJob, ArchiveJobStatus
from project.domain.model.bookmarks import Bookmark
from project.domain.model.collections import Collection, Membership
from project.domain.model.ids import BookmarkId, CollectionId, ImportJobId, SmartListId, UserId
from project.domain.model.imports import ImportJob
from project.domain.model.pages import Page
from project.domain.model.search import SearchRequest
from project.domain.model.smart_lists import SmartList
from project.ports.repositories import UserRepository


class TagCount(msgspec.Struct, frozen=True):
    name: str
    count: int


class BookmarkRepository(Protocol):
    async def get(self, bookmark_id: BookmarkId) -> Bookmark | None: ...
    async def get_many(self, bookmark_ids: Sequence[BookmarkId]) -> Sequence[Bookmark]:
        """The bookmarks that exist among the ids, in no particular order."""
        ...

    async def find_by_canonical_url(self, owner_id: UserId, canonical: str) -> Bookmark | None: ...
    async def find_by_canonical_urls(
        self, owner_id: UserId, canonicals: Sequence[str]
    ) -> Mapping[str, Bookmark]:
        """Canonical URL -> bookmark for those the owner saved (one query, for imports)."""
        ...

    async def add(self, bookmark: Bookmark) -> None:
        """Raises DuplicateBookmark (carrying the existing id) for a taken canonical URL."""
        ...

    async def add_many(self, bookmarks: Sequence[Bookmark]) -> set[BookmarkId]:
        """Insert a batch (imports); a bookmark whose canonical URL the owner already saved
        is left out, never an error. Returns the ids inserted."""
        ...

    async def update(self, bookmark: Bookmark, *, expected_version: int) -> bool:
        """Store the bookmark if the stored version is still `expected_version`.

        False when another writer got there first (the caller answers 412). Raises
        DuplicateBookmark when a changed URL collides with another bookmark of the owner.
        """
        ...

    async def delete(self, bookmark_id: BookmarkId) -> None: ...
    async def storage_used(self, owner_id: UserId) -> int:
        """The bytes the owner's archives take (S23): the sum over their bookmarks, read in
        one statement; 0 for an owner with none."""
        ...

    async def export_batch(
        self, owner_id: UserId, *, after: BookmarkId | None, limit: int
    ) -> Sequence[Bookmark]:
        """The owner's bookmarks in id order after `after`: a keyset walk for exports."""
        ...


class BookmarkSearch(Protocol):
    """Full-text search and listing over title, description, notes, url and page text."""

    async def search(self, request: SearchRequest) -> Page[Bookmark]: ...
    async def index_page_text(self, bookmark_id: BookmarkId, text: str) -> None:
        """Make the archived page's readable text searchable for this bookmark."""
        ...

    async def page_text(self, bookmark_id: BookmarkId) -> str | None:
        """The archived page's readable text, for the reader view."""
        ...


class TagRepository(Protocol):
    """Set-based tag operations for one owner; each also moves the version of every bookmark
    it changes, so ETags and caches stay honest."""

    async def counts(self, owner_id: UserId) -> Sequence[TagCount]: ...
    async def rename(self, owner_id: UserId, old: str, new: str, *, at: datetime) -> int:
        """`old` becomes `new` on every bookmark (a merge when `new` exists); returns how many
        bookmarks changed."""
        ...

    async def delete(self, owner_id: UserId, name: str, *, at: datetime) -> int: ...


class CollectionRepository(Protocol):
    async def get(self, collection_id: CollectionId) -> Collection | None: ...
    async def get_by_slug(self, slug: str) -> Collection | None: ...
    async def add(self, collection: Collection) -> None: ...
    async def update(self, collection: Collection) -> None: ...
    async def delete(self, collection_id: CollectionId, *, at: datetime) -> set[UserId]:
        """Remove the collection and its memberships; its bookmarks stay, in no collection.
        Returns the owners of those bookmarks: their listings changed."""
        ...

    async def list_for_user(self, user_id: UserId) -> Sequence[Collection]:
        """Collections the user owns or is a member of, by name."""
        ...


class MembershipRepository(Protocol):
    async def get(self, collection_id: CollectionId, user_id: UserId) -> Membership | None: ...
    async def list(self, collection_id: CollectionId) -> Sequence[Membership]: ...
    async def collections_of(self, user_id: UserId) -> Sequence[CollectionId]:
        """Collections the user is a member (not owner) of."""
        ...

    async def save(self, membership: Membership) -> None:
        """Add the membership or change its role."""
        ...

    async def delete(self, collection_id: CollectionId, user_id: UserId) -> None: ...


class SmartListRepository(Protocol):
    async def get(self, smart_list_id: SmartListId) -> SmartList | None: ...
    async def list(self, owner_id: UserId) -> Sequence[SmartList]: ...
    async def add(self, smart_list: SmartList) -> None: ...
    async def update(self, smart_list: SmartList) -> None: ...
    async def delete(self, smart_list_id: SmartListId) -> None: ...


class ImportJobRepository(Protocol):
    async def get(self, job_id: ImportJobId) -> ImportJob | None: ...
    async def add(self, job: ImportJob) -> None: ...
    async def update(self, job: ImportJob) -> None: ...


class CatalogUnitOfWork(Protocol):
    """One transaction over the core service's repositories. Rolls back unless committed."""

    users: UserRepository
    bookmarks: BookmarkRepository
    search: BookmarkSearch
    tags: TagRepository
    collections: CollectionRepository
    memberships: MembershipRepository
    smart_lists: SmartListRepository
    import_jobs: ImportJobRepository
    archive_jobs: ArchiveJobRepository

    async def __aenter__(self) -> CatalogUnitOfWork: ...
    async def __aexit__(self, *exc_info: object) -> None: ...
    async def commit(self) -> None: ...


class CatalogUnitOfWorkFactory(Protocol):
    def __call__(self) -> CatalogUnitOfWork: ...


class ArchiveJobRepository(Protocol):
    """Archiving state per bookmark: the source of truth the queue only mirrors (R5)."""

    async def get(self, bookmark_id: BookmarkId) -> ArchiveJob | None: ...
    async def save(self, job: ArchiveJob) -> None:
        """Insert or replace the bookmark's job."""
        ...

    async def claim(
        self, bookmark_id: BookmarkId, *, now: datetime, lease_until: datetime
    ) -> ArchiveJob | None:
        """Atomically lease the job if it is due (pending and its time has come, or running
        with an expired lease); None when another worker holds it or it is not due."""
        ...

    async def due(self, *, now: datetime, limit: int) -> Sequence[BookmarkId]:
        """Jobs a sweep should hand to the queue: due pending ones and expired leases."""
        ...

    async def counts(self, owner_id: UserId | None) -> Mapping[ArchiveJobStatus, int]: ...
    async def restart(
        self, *, owner_id: UserId | None, statuses: Sequence[ArchiveJobStatus], now: datetime
    ) -> Sequence[BookmarkId]:
        """Make the matching jobs pending again from their first attempt; their ids."""
        ...
