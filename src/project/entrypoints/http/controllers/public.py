"""A collection's public read-only link, for anonymous readers (SPEC 3.4).

The one public route of the catalog (reviewed in tests/e2e/test_http_deny_by_default.py):
GET only, so a write method on it is a 405, and the shape it answers leaks no ids, owner,
notes or personal flags. A revoked or replaced link is a 404.
"""

from __future__ import annotations

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from project.domain.model.pages import DEFAULT_PAGE_SIZE, Sort
from project.domain.services.collections import CollectionService
from project.domain.services.search import SearchService
from project.entrypoints.http.authentication import PUBLIC
from project.entrypoints.http.schemas.collections import (
    PUBLIC_COLLECTIONS_PATH,
    Order,
    PageCursor,
    PageSize,
    PublicCollectionOut,
    Query,
)


class PublicCollectionController(Controller):
    path = PUBLIC_COLLECTIONS_PATH
    tags = ["collections"]

    @get("/{slug:str}", **PUBLIC)
    async def read_public_collection(
        self,
        slug: FromPath[str],
        collections: NamedDependency[CollectionService],
        search: NamedDependency[SearchService],
        q: Query = "",
        sort: Order = Sort.NEWEST,
        limit: PageSize = DEFAULT_PAGE_SIZE,
        cursor: PageCursor = None,
    ) -> PublicCollectionOut:
        collection = await collections.public(slug)
        page = await search.public(collection, q, sort=sort, limit=limit, cursor=cursor)
        return PublicCollectionOut.of(collection, page)
