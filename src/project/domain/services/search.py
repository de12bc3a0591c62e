"""Listing and searching bookmarks with the query language of SPEC 3.5."""

from __future__ import annotations

from project.domain.model.access import Action, authorize
from project.domain.model.bookmarks import Bookmark
from project.domain.model.cache_keys import PAGE_TTL, bookmark_page_key, catalog_scope
from project.domain.model.collections import Collection
from project.domain.model.ids import CollectionId
from project.domain.model.pages import Page, Sort, check_page_size, decode_cursor
from project.domain.model.principal import Principal
from project.domain.model.query import SearchQuery, parse_query
from project.domain.model.search import SearchRequest, SearchScope
from project.domain.services._catalog import CatalogDeps, cached_collection
from project.ports.catalog import CatalogUnitOfWork


class SearchService:
    def __init__(self, deps: CatalogDeps) -> None:
        self._d = deps

    async def search(
        self,
        actor: Principal,
        q: str = "",
        *,
        sort: Sort = Sort.NEWEST,
        limit: int = 50,
        cursor: str | None = None,
        with_total: bool = False,
        collection_id: CollectionId | None = None,
    ) -> Page[Bookmark]:
        """The caller's bookmarks matching `q`, or a collection's when one is named (by id, or
        by `in:name` in the query among the collections the caller can read)."""
        query = parse_query(q)
        if collection_id is not None:
            _, relation = await cached_collection(self._d, actor.user_id, collection_id)
            authorize(relation, Action.READ, what="collection")
            scope = SearchScope(collection_ids=(collection_id,))
            return await self._run(_request(scope, query, sort, limit, cursor, with_total))
        if query.collection is None:
            scope = SearchScope(owner_id=actor.user_id)
            request = _request(scope, query, sort, limit, cursor, with_total)
            first = request.cursor is None
            return await (self._first_own_page(request) if first else self._run(request))
        async with self._d.uow() as uow:
            scope = await _named_collection_scope(uow, actor, query.collection)
            return await uow.search.search(_request(scope, query, sort, limit, cursor, with_total))

    async def shared_with_me(
        self,
        actor: Principal,
        q: str = "",
        *,
        sort: Sort = Sort.NEWEST,
        limit: int = 50,
        cursor: str | None = None,
        with_total: bool = False,
    ) -> Page[Bookmark]:
        """Bookmarks in the collections the caller is a member of (linkding's `shared`)."""
        query = parse_query(q)
        async with self._d.uow() as uow:
            member_of = tuple(await uow.memberships.collections_of(actor.user_id))
            scope = SearchScope(collection_ids=member_of)
            return await uow.search.search(_request(scope, query, sort, limit, cursor, with_total))

    async def public(
        self,
        collection: Collection,
        q: str = "",
        *,
        sort: Sort = Sort.NEWEST,
        limit: int = 50,
        cursor: str | None = None,
    ) -> Page[Bookmark]:
        """A public collection's bookmarks, for anonymous readers of its link."""
        query = parse_query(q)
        scope = SearchScope(collection_ids=(collection.id,))
        async with self._d.uow() as uow:
            return await uow.search.search(_request(scope, query, sort, limit, cursor, False))

    async def _first_own_page(self, request: SearchRequest) -> Page[Bookmark]:
        """The hot read: the first page of the caller's own bookmarks, cached until any of
        their bookmarks changes (the catalog version moves)."""
        assert request.scope.owner_id is not None
        version = await self._d.cache.version(catalog_scope(request.scope.owner_id))
        key = bookmark_page_key(request, version)
        return await self._d.cache.get_or_load(
            key, Page[Bookmark], lambda: self._run(request), PAGE_TTL
        )

    async def _run(self, request: SearchRequest) -> Page[Bookmark]:
        async with self._d.uow() as uow:
            return await uow.search.search(request)


async def _named_collection_scope(
    uow: CatalogUnitOfWork, actor: Principal, name: str
) -> SearchScope:
    """`in:name`: the collections of that name among those the caller can read."""
    wanted = name.casefold()
    readable = await uow.collections.list_for_user(actor.user_id)
    ids = tuple(c.id for c in readable if c.name.casefold() == wanted)
    return SearchScope(collection_ids=ids)  # no such collection: nothing matches


def _request(
    scope: SearchScope,
    query: SearchQuery,
    sort: Sort,
    limit: int,
    cursor: str | None,
    with_total: bool,
) -> SearchRequest:
    request = SearchRequest(
        scope=scope, query=query, sort=sort, limit=check_page_size(limit), with_total=with_total
    )
    if cursor is None:
        return request
    decoded = decode_cursor(cursor, request.effective_sort)
    return SearchRequest(
        scope=scope,
        query=query,
        sort=sort,
        limit=request.limit,
        cursor=decoded,
        with_total=with_total,
    )
