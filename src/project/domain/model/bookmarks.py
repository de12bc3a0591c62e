"""Bookmarks: a saved link with what the user wrote and what the fetcher found (SPEC 3.2)."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime

import msgspec

from project.domain.model.errors import InvalidInput, PreconditionFailed
from project.domain.model.ids import BookmarkId, CollectionId, UserId
from project.domain.model.tags import normalize_tags
from project.domain.model.urls import checked_and_canonical_url

MAX_TITLE_LENGTH = 512
MAX_DESCRIPTION_LENGTH = 4096
MAX_NOTES_LENGTH = 65_536


class ArchiveStatus(enum.StrEnum):
    NONE = "none"
    PENDING = "pending"
    ARCHIVED = "archived"
    FAILED = "failed"


class PageMetadata(msgspec.Struct, frozen=True, kw_only=True):
    """What the fetcher found on the page; shown where the user left a field empty."""

    title: str = ""
    description: str = ""
    site_name: str = ""
    language: str = ""
    favicon_key: str | None = None
    preview_key: str | None = None
    word_count: int | None = None


class BookmarkChanges(msgspec.Struct, frozen=True, kw_only=True):
    """A partial edit: UNSET fields stay as they are."""

    url: str | msgspec.UnsetType = msgspec.UNSET
    title: str | msgspec.UnsetType = msgspec.UNSET
    description: str | msgspec.UnsetType = msgspec.UNSET
    notes: str | msgspec.UnsetType = msgspec.UNSET
    tags: tuple[str, ...] | msgspec.UnsetType = msgspec.UNSET
    collection_id: CollectionId | msgspec.UnsetType | None = msgspec.UNSET
    unread: bool | msgspec.UnsetType = msgspec.UNSET
    archived: bool | msgspec.UnsetType = msgspec.UNSET
    favorite: bool | msgspec.UnsetType = msgspec.UNSET


def _bounded(name: str, value: str, limit: int) -> str:
    if len(value) > limit:
        raise InvalidInput(f"{name} must be at most {limit} characters.")
    return value


class Bookmark(msgspec.Struct, kw_only=True):
    """A link one user saved. `version` counts changes, for optimistic concurrency."""

    id: BookmarkId
    owner_id: UserId
    url: str
    canonical_url: str
    title: str = ""
    description: str = ""
    notes: str = ""
    tags: tuple[str, ...] = ()
    collection_id: CollectionId | None = None
    unread: bool = False
    archived: bool = False
    favorite: bool = False
    created_at: datetime
    updated_at: datetime
    version: int = 1
    page: PageMetadata = msgspec.field(default_factory=PageMetadata)
    archive_status: ArchiveStatus = ArchiveStatus.NONE
    archive_error: str | None = None
    archive_bytes: int = 0  # what the stored archive takes: snapshot, preview, favicon (S23)

    @classmethod
    def create(
        cls,
        *,
        id: BookmarkId,
        owner_id: UserId,
        url: str,
        at: datetime,
        title: str = "",
        description: str = "",
        notes: str = "",
        tags: Iterable[str] = (),
        collection_id: CollectionId | None = None,
        unread: bool = False,
        archived: bool = False,
        favorite: bool = False,
        created_at: datetime | None = None,
    ) -> Bookmark:
        checked, canonical = checked_and_canonical_url(url)
        return cls(
            id=id,
            owner_id=owner_id,
            url=checked,
            canonical_url=canonical,
            title=_bounded("Title", title.strip(), MAX_TITLE_LENGTH),
            description=_bounded("Description", description, MAX_DESCRIPTION_LENGTH),
            notes=_bounded("Notes", notes, MAX_NOTES_LENGTH),
            tags=normalize_tags(tags),
            collection_id=collection_id,
            unread=unread,
            archived=archived,
            favorite=favorite,
            created_at=created_at or at,
            updated_at=at,
        )

    @property
    def display_title(self) -> str:
        """What the user typed wins; the fetched title fills in only when they left it empty."""
        return self.title or self.page.title

    @property
    def display_description(self) -> str:
        return self.description or self.page.description

    def check_version(self, expected: int | None) -> None:
        """Refuse a change made against a stale copy (If-Match, SPEC 3.2)."""
        if expected is not None and expected != self.version:
            raise PreconditionFailed("The bookmark changed since you read it; reload and retry.")

    def apply(self, changes: BookmarkChanges, at: datetime) -> bool:
        """Apply a partial edit; True when anything changed (then the version moves on)."""
        before = msgspec.structs.asdict(self)
        if not isinstance(changes.url, msgspec.UnsetType):
            self.url, self.canonical_url = checked_and_canonical_url(changes.url)
        if not isinstance(changes.title, msgspec.UnsetType):
            self.title = _bounded("Title", changes.title.strip(), MAX_TITLE_LENGTH)
        if not isinstance(changes.description, msgspec.UnsetType):
            self.description = _bounded("Description", changes.description, MAX_DESCRIPTION_LENGTH)
        if not isinstance(changes.notes, msgspec.UnsetType):
            self.notes = _bounded("Notes", changes.notes, MAX_NOTES_LENGTH)
        if not isinstance(changes.tags, msgspec.UnsetType):
            self.tags = normalize_tags(changes.tags)
        if not isinstance(changes.collection_id, msgspec.UnsetType):
            self.collection_id = changes.collection_id
        for flag in ("unread", "archived", "favorite"):
            value = getattr(changes, flag)
            if not isinstance(value, msgspec.UnsetType):
                setattr(self, flag, value)
        return self._touch_if_changed(before, at)

    def add_tags(self, tags: Iterable[str], at: datetime) -> bool:
        before = msgspec.structs.asdict(self)
        self.tags = normalize_tags((*self.tags, *tags))
        return self._touch_if_changed(before, at)

    def remove_tags(self, tags: Iterable[str], at: datetime) -> bool:
        before = msgspec.structs.asdict(self)
        gone = set(normalize_tags(tags))
        self.tags = tuple(tag for tag in self.tags if tag not in gone)
        return self._touch_if_changed(before, at)

    def replace_tag(self, old: str, new: str, at: datetime) -> bool:
        """Rename or merge: `old` becomes `new` (kept once if both were there)."""
        if old not in self.tags:
            return False
        before = msgspec.structs.asdict(self)
        self.tags = normalize_tags(new if tag == old else tag for tag in self.tags)
        return self._touch_if_changed(before, at)

    def record_page(self, page: PageMetadata, at: datetime, *, stored_bytes: int) -> None:
        """Keep what the fetcher found. User fields are never overwritten: the display_*
        properties prefer them, so fetched values only show where the user left a blank.

        `stored_bytes` is what the new archive takes; it replaces the old archive's count,
        as its blobs replaced the old ones."""
        self.page = page
        self.archive_bytes = stored_bytes
        self.version += 1  # the representation changed, so cached copies and ETags must too
        self.updated_at = at

    def mark_archive(self, status: ArchiveStatus, error: str | None, at: datetime) -> bool:
        """Record where archiving stands; True (and a new version) when that changed."""
        before = msgspec.structs.asdict(self)
        self.archive_status, self.archive_error = status, error
        return self._touch_if_changed(before, at)

    def _touch_if_changed(self, before: dict[str, object], at: datetime) -> bool:
        if msgspec.structs.asdict(self) == before:
            return False
        self.version += 1
        self.updated_at = at
        return True
