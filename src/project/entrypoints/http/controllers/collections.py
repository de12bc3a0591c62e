"""Collections: sharing with members and a public read-only link (SPEC 3.4, S13).

The services decide access: a stranger gets 404, a member without the role 403.
"""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Response, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from project.domain.model.ids import CollectionId, UserId
from project.domain.model.pages import DEFAULT_PAGE_SIZE, Sort
from project.domain.model.principal import Principal
from project.domain.services.collections import CollectionService
from project.domain.services.search import SearchService
from project.entrypoints.http.etags import (
    LISTING_ETAG_HEADER,
    NOT_MODIFIED,
    IfNoneMatch,
    conditional,
    page_tag,
)
from project.entrypoints.http.schemas.bookmarks import BookmarkPage
from project.entrypoints.http.schemas.collections import (
    CollectionList,
    CollectionOut,
    CreateCollection,
    MemberList,
    MemberOut,
    Order,
    PageCursor,
    PageSize,
    PublicLinkOut,
    Query,
    ShareCollection,
    UpdateCollection,
    given,
)
from project.entrypoints.library import Project


class CollectionController(Controller):
    path = "/api/v1/collections"
    tags = ["collections"]

    @get("/")
    async def list_collections(
        self,
        collections: NamedDependency[CollectionService],
        principal: NamedDependency[Principal],
        project: NamedDependency[Project],
    ) -> CollectionList:
        views = await collections.list(principal)
        base = project.settings.public_url
        return CollectionList(items=[CollectionOut.of(v, base) for v in views])

    @post("/", status_code=201)
    async def create_collection(
        self,
        data: JSONBody[CreateCollection],
        collections: NamedDependency[CollectionService],
        principal: NamedDependency[Principal],
        project: NamedDependency[Project],
    ) -> CollectionOut:
        created = await collections.create(principal, data.name, data.description)
        return CollectionOut.owned(created, project.settings.public_url)

    @get("/{collection_id:uuid}")
    async def get_collection(
        self,
        collection_id: FromPath[UUID],
        collections: NamedDependency[CollectionService],
        principal: NamedDependency[Principal],
        project: NamedDependency[Project],
    ) -> CollectionOut:
        view = await collections.get(principal, CollectionId(collection_id))
        return CollectionOut.of(view, project.settings.public_url)

    @patch("/{collection_id:uuid}")
    async def update_collection(
        self,
        collection_id: FromPath[UUID],
        data: JSONBody[UpdateCollection],
        collections: NamedDependency[CollectionService],
        principal: NamedDependency[Principal],
        project: NamedDependency[Project],
    ) -> CollectionOut:
        updated = await collections.update(
            principal,
            CollectionId(collection_id),
            name=given(data.name),
            description=given(data.description),
        )
        return CollectionOut.owned(updated, project.settings.public_url)

    @delete("/{collection_id:uuid}", status_code=204)
    async def delete_collection(
        self,
        collection_id: FromPath[UUID],
        collections: NamedDependency[CollectionService],
        principal: NamedDependency[Principal],
    ) -> None:
        await collections.delete(principal, CollectionId(collection_id))

    @get(
        "/{collection_id:uuid}/bookmarks",
        response_headers=[LISTING_ETAG_HEADER],
        responses={304: NOT_MODIFIED},
    )
    async def list_collection_bookmarks(
        self,
        collection_id: FromPath[UUID],
        search: NamedDependency[SearchService],
        principal: NamedDependency[Principal],
        q: Query = "",
        sort: Order = Sort.NEWEST,
        limit: PageSize = DEFAULT_PAGE_SIZE,
        cursor: PageCursor = None,
        if_none_match: IfNoneMatch = None,
    ) -> Response[BookmarkPage]:
        page = await search.search(
            principal,
            q,
            sort=sort,
            limit=limit,
            cursor=cursor,
            collection_id=CollectionId(collection_id),
        )
        return conditional(BookmarkPage.of(page), page_tag(page), if_none_match)

    @get("/{collection_id:uuid}/members")
    async def list_members(
        self,
        collection_id: FromPath[UUID],
        collections: NamedDependency[CollectionService],
        principal: NamedDependency[Principal],
    ) -> MemberList:
        members = await collections.members(principal, CollectionId(collection_id))
        return MemberList(items=[MemberOut.of(m) for m in members])

    @put("/{collection_id:uuid}/members")
    async def share_collection(
        self,
        collection_id: FromPath[UUID],
        data: JSONBody[ShareCollection],
        collections: NamedDependency[CollectionService],
        principal: NamedDependency[Principal],
    ) -> MemberOut:
        member = await collections.share(
            principal, CollectionId(collection_id), data.email, data.role
        )
        return MemberOut.of(member)

    @delete("/{collection_id:uuid}/members/{user_id:uuid}", status_code=204)
    async def remove_member(
        self,
        collection_id: FromPath[UUID],
        user_id: FromPath[UUID],
        collections: NamedDependency[CollectionService],
        principal: NamedDependency[Principal],
    ) -> None:
        """The owner removes a member; a member removes themself to leave."""
        await collections.unshare(principal, CollectionId(collection_id), UserId(user_id))

    @post("/{collection_id:uuid}/public-link", status_code=201)
    async def publish_collection(
        self,
        collection_id: FromPath[UUID],
        collections: NamedDependency[CollectionService],
        principal: NamedDependency[Principal],
        project: NamedDependency[Project],
    ) -> PublicLinkOut:
        """Create the public read-only link, or replace it (the old link stops working)."""
        published = await collections.publish(principal, CollectionId(collection_id))
        return PublicLinkOut.of(published, project.settings.public_url)

    @delete("/{collection_id:uuid}/public-link", status_code=204)
    async def unpublish_collection(
        self,
        collection_id: FromPath[UUID],
        collections: NamedDependency[CollectionService],
        principal: NamedDependency[Principal],
    ) -> None:
        await collections.unpublish(principal, CollectionId(collection_id))
