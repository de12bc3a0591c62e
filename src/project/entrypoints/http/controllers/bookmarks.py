"""The caller's bookmarks: list and search, save, read, edit, delete, check, bulk (SPEC 3.2, 3.5).

Reads carry a strong `ETag`; writes take `If-Match` (see `etags`). Someone else's bookmark
answers 404, never 403 (S13).
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from project.domain.model.bookmarks import Bookmark
from project.domain.model.ids import BookmarkId, CollectionId
from project.domain.model.pages import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Sort
from project.domain.model.principal import Principal
from project.domain.model.query import MAX_QUERY_LENGTH
from project.domain.model.urls import MAX_URL_LENGTH
from project.domain.services.bookmarks import BookmarkService
from project.domain.services.search import SearchService
from project.entrypoints.http.etags import (
    ETAG_HEADER,
    LISTING_ETAG_HEADER,
    NOT_MODIFIED,
    IfMatch,
    IfNoneMatch,
    conditional,
    entity_tag,
    expected_version,
    is_not_modified,
    page_tag,
)
from project.entrypoints.http.openapi import problem_response
from project.entrypoints.http.schemas.bookmarks import (
    DUPLICATE_RESPONSE,
    BookmarkIn,
    BookmarkOut,
    BookmarkPage,
    BookmarkPatch,
    BulkEdit,
    BulkResultOut,
    UrlCheckOut,
)

PATH = "/api/v1/bookmarks"
MAX_CURSOR_LENGTH = 2048

Query = Annotated[
    str,
    QueryParameter(
        max_length=MAX_QUERY_LENGTH,
        description='Search: words, "phrase", -word, #tag, site:, is:unread, in:, before:, after:.',
    ),
]
Limit = Annotated[int, QueryParameter(ge=1, le=MAX_PAGE_SIZE, description="Page size.")]
Cursor = Annotated[
    str | None,
    QueryParameter(max_length=MAX_CURSOR_LENGTH, description="`next_cursor` of the last page."),
]
WithTotal = Annotated[bool, QueryParameter(description="Count every match (slower).")]
CheckedUrl = Annotated[str, QueryParameter(min_length=1, max_length=MAX_URL_LENGTH)]

_STALE = problem_response("`If-Match` does not name the current version.")


class BookmarkController(Controller):
    path = PATH
    tags = ["bookmarks"]

    @get(
        "/",
        summary="List or search the caller's bookmarks",
        response_headers=[LISTING_ETAG_HEADER],
        responses={304: NOT_MODIFIED},
    )
    async def list_bookmarks(
        self,
        search: NamedDependency[SearchService],
        principal: NamedDependency[Principal],
        q: Query = "",
        sort: Annotated[Sort, QueryParameter()] = Sort.NEWEST,
        limit: Limit = DEFAULT_PAGE_SIZE,
        cursor: Cursor = None,
        total: WithTotal = False,
        collection_id: Annotated[UUID | None, QueryParameter()] = None,
        if_none_match: IfNoneMatch = None,
    ) -> Response[BookmarkPage]:
        page = await search.search(
            principal,
            q,
            sort=sort,
            limit=limit,
            cursor=cursor,
            with_total=total,
            collection_id=CollectionId(collection_id) if collection_id else None,
        )
        return conditional(BookmarkPage.of(page), page_tag(page), if_none_match)

    @post(
        "/",
        status_code=201,
        summary="Save a link",
        response_headers=[ETAG_HEADER],
        responses={409: DUPLICATE_RESPONSE},
    )
    async def create_bookmark(
        self,
        data: JSONBody[BookmarkIn],
        bookmarks: NamedDependency[BookmarkService],
        principal: NamedDependency[Principal],
    ) -> Response[BookmarkOut]:
        bookmark = await bookmarks.create(principal, data.draft())
        location = {"Location": f"{PATH}/{bookmark.id}"}
        return _tagged(bookmark, status_code=201, headers=location)

    @get(
        "/{bookmark_id:uuid}",
        summary="Read a bookmark",
        response_headers=[ETAG_HEADER],
        responses={304: NOT_MODIFIED},
    )
    async def get_bookmark(
        self,
        bookmark_id: FromPath[UUID],
        bookmarks: NamedDependency[BookmarkService],
        principal: NamedDependency[Principal],
        if_none_match: IfNoneMatch = None,
    ) -> Response[BookmarkOut]:
        bookmark = await bookmarks.get(principal, BookmarkId(bookmark_id))
        tag = entity_tag(bookmark.id, bookmark.version)
        if is_not_modified(if_none_match, tag):
            return _not_modified(tag)
        return _tagged(bookmark)

    @patch(
        "/{bookmark_id:uuid}",
        summary="Edit a bookmark (only the fields sent)",
        response_headers=[ETAG_HEADER],
        responses={409: DUPLICATE_RESPONSE, 412: _STALE},
    )
    async def update_bookmark(
        self,
        bookmark_id: FromPath[UUID],
        data: JSONBody[BookmarkPatch],
        bookmarks: NamedDependency[BookmarkService],
        principal: NamedDependency[Principal],
        if_match: IfMatch = None,
    ) -> Response[BookmarkOut]:
        bookmark = await bookmarks.update(
            principal,
            BookmarkId(bookmark_id),
            data.changes(),
            if_match=expected_version(if_match, bookmark_id),
        )
        return _tagged(bookmark)

    @delete(
        "/{bookmark_id:uuid}",
        status_code=204,
        summary="Delete a bookmark",
        responses={412: _STALE},
    )
    async def delete_bookmark(
        self,
        bookmark_id: FromPath[UUID],
        bookmarks: NamedDependency[BookmarkService],
        principal: NamedDependency[Principal],
        if_match: IfMatch = None,
    ) -> None:
        version = expected_version(if_match, bookmark_id)
        await bookmarks.delete(principal, BookmarkId(bookmark_id), if_match=version)

    @get("/check", summary="Whether the caller already saved a link")
    async def check_url(
        self,
        url: CheckedUrl,
        bookmarks: NamedDependency[BookmarkService],
        principal: NamedDependency[Principal],
    ) -> UrlCheckOut:
        return UrlCheckOut.of(await bookmarks.check_url(principal, url))

    @post(
        "/bulk",
        status_code=200,
        summary="Apply one action to many bookmarks",
        responses={412: problem_response("A bookmark changed during the edit; retry.")},
    )
    async def bulk_edit(
        self,
        data: JSONBody[BulkEdit],
        bookmarks: NamedDependency[BookmarkService],
        principal: NamedDependency[Principal],
    ) -> BulkResultOut:
        result = await bookmarks.bulk(
            principal,
            [BookmarkId(i) for i in data.ids],
            data.action,
            tags=data.tags,
            collection_id=CollectionId(data.collection_id) if data.collection_id else None,
        )
        return BulkResultOut.of(result)


def _tagged(
    bookmark: Bookmark, *, status_code: int = 200, headers: dict[str, str] | None = None
) -> Response[BookmarkOut]:
    tag = {"ETag": entity_tag(bookmark.id, bookmark.version)}
    return Response(
        BookmarkOut.of(bookmark), status_code=status_code, headers={**tag, **(headers or {})}
    )


def _not_modified(tag: str) -> Response[Any]:
    return Response(None, status_code=304, headers={"ETag": tag})
