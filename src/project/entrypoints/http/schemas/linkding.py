"""linkding's REST API shapes (SPEC 4.1), so linkding clients work unchanged.

Field names, envelopes and defaults follow linkding's documented API. Where our model
differs, the shape stays linkding's and the value is ours:
- `id` is our UUID as a string (linkding uses integers; clients treat ids as opaque).
- `shared` is true when the bookmark is in a collection; sent on input it is ignored,
  since sharing here goes through collections.
- `favicon_url` and `preview_image_url` point at our API (they redirect to short-lived signed
  URLs of the WebP thumbnails; the client sends its token) and are null until archiving
  stored them; `web_archive_snapshot_url` is the Wayback Machine link linkding falls back to.
- Tags have no stored row of their own: a tag's `id` is derived from its name (UUIDv5) and
  its `date_added` is the account's creation time, the earliest it can have been used.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, TypeVar
from uuid import UUID

import msgspec
from litestar.params import QueryParameter

from project.domain.model.bookmarks import Bookmark, BookmarkChanges
from project.domain.model.smart_lists import MAX_QUERY_LENGTH
from project.domain.model.urls import MAX_URL_LENGTH
from project.domain.services.bookmarks import BookmarkDraft
from project.entrypoints.http.schemas._base import InBody, OutBody
from project.entrypoints.http.schemas.bookmarks import Description, Notes, Tag, Tags, Title, Url

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
MAX_OFFSET = 10_000
WAYBACK_URL = "https://web.archive.org/web/{stamp}/{url}"
T = TypeVar("T")
_TAG_NAMESPACE = uuid.UUID("6f1c3f3e-6a52-4d0e-9a3c-2f43f1d5b0a7")

Limit = Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT, description="Page size.")]
Offset = Annotated[
    int, QueryParameter(ge=0, le=MAX_OFFSET, description="Index of the first result.")
]
Query = Annotated[
    str, QueryParameter(max_length=MAX_QUERY_LENGTH, description="Search phrase (`#tag words`).")
]
CheckUrl = Annotated[str, QueryParameter(min_length=1, max_length=MAX_URL_LENGTH)]


def tag_id(name: str) -> UUID:
    """The stable id a tag name answers under (one owner's tags are unique by name)."""
    return uuid.uuid5(_TAG_NAMESPACE, name)


class LinkdingBookmarkPatch(InBody):
    """linkding's writable bookmark fields (PATCH); absent ones stay as they are."""

    url: Url | msgspec.UnsetType = msgspec.UNSET
    title: Title | msgspec.UnsetType = msgspec.UNSET
    description: Description | msgspec.UnsetType = msgspec.UNSET
    notes: Notes | msgspec.UnsetType = msgspec.UNSET
    is_archived: bool | msgspec.UnsetType = msgspec.UNSET
    unread: bool | msgspec.UnsetType = msgspec.UNSET
    shared: bool | msgspec.UnsetType = msgspec.UNSET
    tag_names: Tags | msgspec.UnsetType = msgspec.UNSET

    def changes(self) -> BookmarkChanges:
        tags = self.tag_names
        return BookmarkChanges(
            url=self.url,
            title=self.title,
            description=self.description,
            notes=self.notes,
            tags=msgspec.UNSET if isinstance(tags, msgspec.UnsetType) else tuple(tags),
            archived=self.is_archived,
            unread=self.unread,
        )


class LinkdingBookmarkIn(LinkdingBookmarkPatch):
    """POST (create, or update the bookmark already saved under the URL) and PUT: the
    same fields with `url` required."""

    url: Url

    def draft(self) -> BookmarkDraft:
        return BookmarkDraft(
            url=self.url,
            title=_or(self.title, ""),
            description=_or(self.description, ""),
            notes=_or(self.notes, ""),
            tags=tuple(_or(self.tag_names, list[str]())),
            archived=_or(self.is_archived, False),
            unread=_or(self.unread, False),
        )


class LinkdingBookmark(OutBody):
    id: UUID
    url: str
    title: str
    description: str
    notes: str
    web_archive_snapshot_url: str
    favicon_url: str | None
    preview_image_url: str | None
    is_archived: bool
    unread: bool
    shared: bool
    tag_names: list[str]
    date_added: datetime
    date_modified: datetime
    website_title: str | None
    website_description: str | None

    @classmethod
    def of(cls, b: Bookmark, origin: str = "") -> LinkdingBookmark:
        """`origin` (the public URL) makes the asset links absolute, as linkding's are."""
        base = f"{origin.rstrip('/')}/api/v1/bookmarks/{b.id}"
        return cls(
            id=b.id,
            url=b.url,
            title=b.title,
            description=b.description,
            notes=b.notes,
            web_archive_snapshot_url=_wayback(b),
            favicon_url=f"{base}/favicon" if b.page.favicon_key else None,
            preview_image_url=f"{base}/preview" if b.page.preview_key else None,
            is_archived=b.archived,
            unread=b.unread,
            shared=b.collection_id is not None,
            tag_names=list(b.tags),
            date_added=b.created_at,
            date_modified=b.updated_at,
            website_title=b.page.title or None,
            website_description=b.page.description or None,
        )


class LinkdingBookmarkList(OutBody):
    count: int
    next: str | None
    previous: str | None
    results: list[LinkdingBookmark]


class LinkdingMetadata(OutBody):
    """What is known about the page: from the saved bookmark's fetch, never fetched live."""

    url: str
    title: str | None
    description: str | None
    preview_image: str | None


class LinkdingCheck(OutBody):
    bookmark: LinkdingBookmark | None
    metadata: LinkdingMetadata
    auto_tags: list[str]

    @classmethod
    def of(cls, url: str, found: Bookmark | None, origin: str = "") -> LinkdingCheck:
        return cls(
            bookmark=LinkdingBookmark.of(found, origin) if found is not None else None,
            metadata=LinkdingMetadata(
                url=url,
                title=(found.page.title or None) if found else None,
                description=(found.page.description or None) if found else None,
                preview_image=None,
            ),
            auto_tags=[],
        )


class LinkdingTagIn(InBody):
    name: Tag


class LinkdingTag(OutBody):
    id: UUID
    name: str
    date_added: datetime

    @classmethod
    def named(cls, name: str, date_added: datetime) -> LinkdingTag:
        return cls(id=tag_id(name), name=name, date_added=date_added)


class LinkdingTagList(OutBody):
    count: int
    next: str | None
    previous: str | None
    results: list[LinkdingTag]


class LinkdingSearchPreferences(OutBody):
    sort: str = "added_desc"
    shared: str = "off"
    unread: str = "off"


class LinkdingProfile(OutBody):
    """linkding's user preferences, fixed to what this service does."""

    version: str
    theme: str = "auto"
    bookmark_date_display: str = "relative"
    bookmark_link_target: str = "_blank"
    web_archive_integration: str = "enabled"
    tag_search: str = "strict"
    enable_sharing: bool = True
    enable_public_sharing: bool = True
    enable_favicons: bool = False
    display_url: bool = False
    permanent_notes: bool = False
    search_preferences: LinkdingSearchPreferences = msgspec.field(
        default_factory=LinkdingSearchPreferences
    )


def _or(value: T | msgspec.UnsetType, default: T) -> T:
    return default if isinstance(value, msgspec.UnsetType) else value


def _wayback(b: Bookmark) -> str:
    stamp = b.created_at.astimezone(UTC).strftime("%Y%m%d%H%M%S")
    return WAYBACK_URL.format(stamp=stamp, url=b.url)
