"""Collections, members and public links on the wire (/api/v1, SPEC 3.4).

Also the listing parameters every bookmark listing here takes (`q`, `sort`, `limit`,
`cursor`), and the anonymous shape of a public collection, which carries no ids, owner,
notes or personal flags: only what the owner chose to publish.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal, TypeVar
from uuid import UUID

import msgspec
from litestar.params import QueryParameter

from project.domain.model.access import Relation
from project.domain.model.bookmarks import Bookmark
from project.domain.model.collections import (
    MAX_COLLECTION_DESCRIPTION_LENGTH,
    MAX_COLLECTION_NAME_LENGTH,
    Collection,
    MemberRole,
)
from project.domain.model.pages import MAX_PAGE_SIZE, Page, Sort
from project.domain.model.smart_lists import MAX_QUERY_LENGTH
from project.domain.services.collections import CollectionView, MemberView
from project.entrypoints.http.schemas._base import Email, InBody, OutBody

PUBLIC_COLLECTIONS_PATH = "/api/v1/public/collections"
MAX_CURSOR_LENGTH = 1024
T = TypeVar("T")

Query = Annotated[
    str, QueryParameter(max_length=MAX_QUERY_LENGTH, description="Search query (SPEC 3.5).")
]
Order = Annotated[Sort, QueryParameter(description="Sort order.")]
PageSize = Annotated[int, QueryParameter(ge=1, le=MAX_PAGE_SIZE, description="Page size.")]
PageCursor = Annotated[
    str | None,
    QueryParameter(
        min_length=1, max_length=MAX_CURSOR_LENGTH, description="`next_cursor` of the last page."
    ),
]

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_COLLECTION_NAME_LENGTH)]
Description = Annotated[str, msgspec.Meta(max_length=MAX_COLLECTION_DESCRIPTION_LENGTH)]
CollectionRole = Literal["owner", "editor", "viewer"]


def public_collection_url(base_url: str, slug: str) -> str:
    return f"{base_url.rstrip('/')}{PUBLIC_COLLECTIONS_PATH}/{slug}"


def given(value: T | msgspec.UnsetType) -> T | None:
    """A PATCH field as the services take it: None when the client did not send it."""
    return None if isinstance(value, msgspec.UnsetType) else value


class CreateCollection(InBody):
    name: Name
    description: Description = ""


class UpdateCollection(InBody):
    name: Name | msgspec.UnsetType = msgspec.UNSET
    description: Description | msgspec.UnsetType = msgspec.UNSET


class CollectionOut(OutBody):
    id: UUID
    name: str
    description: str
    role: CollectionRole
    """The caller's role: what the client may offer (members and editors cannot delete)."""
    is_public: bool
    public_url: str | None
    """The public read-only link; shown to the owner only, who alone manages it."""
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, view: CollectionView, base_url: str) -> CollectionOut:
        c = view.collection
        is_owner = view.relation is Relation.OWNER
        return cls(
            id=c.id,
            name=c.name,
            description=c.description,
            role=_role(view.relation),
            is_public=c.public_slug is not None,
            public_url=(
                public_collection_url(base_url, c.public_slug)
                if is_owner and c.public_slug is not None
                else None
            ),
            created_at=c.created_at,
            updated_at=c.updated_at,
        )

    @classmethod
    def owned(cls, collection: Collection, base_url: str) -> CollectionOut:
        return cls.of(CollectionView(collection=collection, relation=Relation.OWNER), base_url)


class CollectionList(OutBody):
    items: list[CollectionOut]


class ShareCollection(InBody):
    """Add a member by email, or change the role of one."""

    email: Email
    role: MemberRole


class MemberOut(OutBody):
    user_id: UUID
    email: str
    display_name: str
    role: MemberRole
    added_at: datetime

    @classmethod
    def of(cls, view: MemberView) -> MemberOut:
        return cls(
            user_id=view.membership.user_id,
            email=view.email,
            display_name=view.display_name,
            role=view.membership.role,
            added_at=view.membership.added_at,
        )


class MemberList(OutBody):
    items: list[MemberOut]


class PublicLinkOut(OutBody):
    slug: str
    url: str

    @classmethod
    def of(cls, collection: Collection, base_url: str) -> PublicLinkOut:
        if collection.public_slug is None:
            raise ValueError("the collection has no public link")
        slug = collection.public_slug
        return cls(slug=slug, url=public_collection_url(base_url, slug))


class PublicCollectionInfo(OutBody):
    name: str
    description: str


class PublicBookmark(OutBody):
    """A bookmark as anonymous readers of a public link see it."""

    url: str
    title: str
    description: str
    site_name: str
    tags: list[str]
    created_at: datetime

    @classmethod
    def of(cls, b: Bookmark) -> PublicBookmark:
        return cls(
            url=b.url,
            title=b.display_title,
            description=b.display_description,
            site_name=b.page.site_name,
            tags=list(b.tags),
            created_at=b.created_at,
        )


class PublicBookmarkPage(OutBody):
    items: list[PublicBookmark]
    next_cursor: str | None


class PublicCollectionOut(OutBody):
    collection: PublicCollectionInfo
    bookmarks: PublicBookmarkPage

    @classmethod
    def of(cls, collection: Collection, page: Page[Bookmark]) -> PublicCollectionOut:
        return cls(
            collection=PublicCollectionInfo(
                name=collection.name, description=collection.description
            ),
            bookmarks=PublicBookmarkPage(
                items=[PublicBookmark.of(b) for b in page.items], next_cursor=page.next_cursor
            ),
        )


def _role(relation: Relation) -> CollectionRole:
    if relation is Relation.OWNER:
        return "owner"
    if relation is Relation.EDITOR:
        return "editor"
    return "viewer"  # list/get only answer collections the caller can read
