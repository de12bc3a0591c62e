"""Bookmarks on the wire (/api/v1): what clients send and what they get back."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from litestar.openapi import ResponseSpec

from project.domain.model.bookmarks import (
    MAX_DESCRIPTION_LENGTH,
    MAX_NOTES_LENGTH,
    MAX_TITLE_LENGTH,
    ArchiveStatus,
    Bookmark,
    BookmarkChanges,
)
from project.domain.model.ids import CollectionId
from project.domain.model.pages import Page
from project.domain.model.tags import MAX_TAG_LENGTH, MAX_TAGS_PER_BOOKMARK
from project.domain.model.urls import MAX_URL_LENGTH
from project.domain.services.bookmarks import (
    MAX_BULK_IDS,
    BookmarkDraft,
    BulkAction,
    BulkResult,
    UrlCheck,
)
from project.entrypoints.http.openapi import PROBLEM_MEDIA_TYPE, Problem
from project.entrypoints.http.schemas._base import InBody, OutBody

Url = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_URL_LENGTH)]
Title = Annotated[str, msgspec.Meta(max_length=MAX_TITLE_LENGTH)]
Description = Annotated[str, msgspec.Meta(max_length=MAX_DESCRIPTION_LENGTH)]
Notes = Annotated[str, msgspec.Meta(max_length=MAX_NOTES_LENGTH)]
Tag = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_TAG_LENGTH)]
Tags = Annotated[list[Tag], msgspec.Meta(max_length=MAX_TAGS_PER_BOOKMARK)]


class BookmarkIn(InBody):
    url: Url
    title: Title = ""
    description: Description = ""
    notes: Notes = ""
    tags: Tags = msgspec.field(default_factory=list)
    collection_id: UUID | None = None
    unread: bool = False
    archived: bool = False
    favorite: bool = False

    def draft(self) -> BookmarkDraft:
        return BookmarkDraft(
            url=self.url,
            title=self.title,
            description=self.description,
            notes=self.notes,
            tags=tuple(self.tags),
            collection_id=CollectionId(self.collection_id) if self.collection_id else None,
            unread=self.unread,
            archived=self.archived,
            favorite=self.favorite,
        )


class BookmarkPatch(InBody):
    """Only the fields present change; `collection_id: null` takes it out of its collection."""

    url: Url | msgspec.UnsetType = msgspec.UNSET
    title: Title | msgspec.UnsetType = msgspec.UNSET
    description: Description | msgspec.UnsetType = msgspec.UNSET
    notes: Notes | msgspec.UnsetType = msgspec.UNSET
    tags: Tags | msgspec.UnsetType = msgspec.UNSET
    collection_id: UUID | msgspec.UnsetType | None = msgspec.UNSET
    unread: bool | msgspec.UnsetType = msgspec.UNSET
    archived: bool | msgspec.UnsetType = msgspec.UNSET
    favorite: bool | msgspec.UnsetType = msgspec.UNSET

    def changes(self) -> BookmarkChanges:
        collection = self.collection_id
        return BookmarkChanges(
            url=self.url,
            title=self.title,
            description=self.description,
            notes=self.notes,
            tags=tuple(self.tags) if not isinstance(self.tags, msgspec.UnsetType) else self.tags,
            collection_id=CollectionId(collection) if isinstance(collection, UUID) else collection,
            unread=self.unread,
            archived=self.archived,
            favorite=self.favorite,
        )


class PageOut(OutBody):
    """What the fetcher found on the page."""

    title: str
    description: str
    site_name: str
    language: str
    word_count: int | None


class BookmarkOut(OutBody):
    id: UUID
    url: str
    canonical_url: str
    title: str
    """What the user typed ("" when they left it to the page)."""
    description: str
    display_title: str
    """The user's title, or the page's when they left it empty."""
    display_description: str
    notes: str
    tags: list[str]
    collection_id: UUID | None
    unread: bool
    archived: bool
    favorite: bool
    created_at: datetime
    updated_at: datetime
    version: int
    page: PageOut
    archive_status: ArchiveStatus
    archive_error: str | None
    snapshot_url: str | None
    """Redirects to the archived snapshot (a short-lived signed URL), once archived."""
    preview_url: str | None
    favicon_url: str | None

    @classmethod
    def of(cls, b: Bookmark) -> BookmarkOut:
        base = f"/api/v1/bookmarks/{b.id}"
        archived = b.archive_status is ArchiveStatus.ARCHIVED
        return cls(
            id=b.id,
            url=b.url,
            canonical_url=b.canonical_url,
            title=b.title,
            description=b.description,
            display_title=b.display_title,
            display_description=b.display_description,
            notes=b.notes,
            tags=list(b.tags),
            collection_id=b.collection_id,
            unread=b.unread,
            archived=b.archived,
            favorite=b.favorite,
            created_at=b.created_at,
            updated_at=b.updated_at,
            version=b.version,
            page=PageOut(
                title=b.page.title,
                description=b.page.description,
                site_name=b.page.site_name,
                language=b.page.language,
                word_count=b.page.word_count,
            ),
            archive_status=b.archive_status,
            archive_error=b.archive_error,
            snapshot_url=f"{base}/snapshot" if archived else None,
            preview_url=f"{base}/preview" if b.page.preview_key else None,
            favicon_url=f"{base}/favicon" if b.page.favicon_key else None,
        )


class BookmarkPage(OutBody):
    items: list[BookmarkOut]
    next_cursor: str | None
    total: int | None

    @classmethod
    def of(cls, page: Page[Bookmark]) -> BookmarkPage:
        return cls(
            items=[BookmarkOut.of(b) for b in page.items],
            next_cursor=page.next_cursor,
            total=page.total,
        )


class BulkEdit(InBody):
    """One action on many bookmarks; `tags` for tag/untag, `collection_id` for move."""

    ids: Annotated[list[UUID], msgspec.Meta(min_length=1, max_length=MAX_BULK_IDS)]
    action: BulkAction
    tags: Tags = msgspec.field(default_factory=list)
    collection_id: UUID | None = None


class BulkResultOut(OutBody):
    changed: int
    unchanged: int
    not_found: list[UUID]
    """Ids that do not exist or that the caller may not edit (they are told apart nowhere)."""

    @classmethod
    def of(cls, result: BulkResult) -> BulkResultOut:
        return cls(
            changed=result.changed,
            unchanged=result.unchanged,
            not_found=list(result.not_found),
        )


class UrlCheckOut(OutBody):
    canonical_url: str
    bookmark: BookmarkOut | None
    """The caller's bookmark of this link, or null when they have not saved it."""

    @classmethod
    def of(cls, check: UrlCheck) -> UrlCheckOut:
        found = check.bookmark
        return cls(
            canonical_url=check.canonical_url,
            bookmark=BookmarkOut.of(found) if found is not None else None,
        )


class DuplicateBookmarkProblem(Problem, kw_only=True):
    """409 `duplicate_bookmark`: the caller already saved this canonical URL."""

    existing_id: UUID


DUPLICATE_RESPONSE = ResponseSpec(
    data_container=DuplicateBookmarkProblem,
    media_type=PROBLEM_MEDIA_TYPE,
    description="The link is already saved (same canonical URL); `existing_id` names it.",
    generate_examples=False,
)
