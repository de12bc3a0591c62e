"""Smart lists: the caller's saved searches, and running one (SPEC 3.2).

A smart list belongs to its owner alone; anyone else's id is a 404.
"""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from project.domain.model.ids import SmartListId
from project.domain.model.pages import DEFAULT_PAGE_SIZE
from project.domain.model.principal import Principal
from project.domain.services.smart_lists import SmartListService
from project.entrypoints.http.schemas.bookmarks import BookmarkPage
from project.entrypoints.http.schemas.collections import PageCursor, PageSize, given
from project.entrypoints.http.schemas.smart_lists import (
    CreateSmartList,
    SmartListList,
    SmartListOut,
    UpdateSmartList,
)


class SmartListController(Controller):
    path = "/api/v1/smart-lists"
    tags = ["smart lists"]

    @get("/")
    async def list_smart_lists(
        self,
        smart_lists: NamedDependency[SmartListService],
        principal: NamedDependency[Principal],
    ) -> SmartListList:
        found = await smart_lists.list(principal)
        return SmartListList(items=[SmartListOut.of(s) for s in found])

    @post("/", status_code=201)
    async def create_smart_list(
        self,
        data: JSONBody[CreateSmartList],
        smart_lists: NamedDependency[SmartListService],
        principal: NamedDependency[Principal],
    ) -> SmartListOut:
        created = await smart_lists.create(principal, data.name, data.query, data.sort)
        return SmartListOut.of(created)

    @get("/{smart_list_id:uuid}")
    async def get_smart_list(
        self,
        smart_list_id: FromPath[UUID],
        smart_lists: NamedDependency[SmartListService],
        principal: NamedDependency[Principal],
    ) -> SmartListOut:
        return SmartListOut.of(await smart_lists.get(principal, SmartListId(smart_list_id)))

    @patch("/{smart_list_id:uuid}")
    async def update_smart_list(
        self,
        smart_list_id: FromPath[UUID],
        data: JSONBody[UpdateSmartList],
        smart_lists: NamedDependency[SmartListService],
        principal: NamedDependency[Principal],
    ) -> SmartListOut:
        updated = await smart_lists.update(
            principal,
            SmartListId(smart_list_id),
            name=given(data.name),
            query=given(data.query),
            sort=given(data.sort),
        )
        return SmartListOut.of(updated)

    @delete("/{smart_list_id:uuid}", status_code=204)
    async def delete_smart_list(
        self,
        smart_list_id: FromPath[UUID],
        smart_lists: NamedDependency[SmartListService],
        principal: NamedDependency[Principal],
    ) -> None:
        await smart_lists.delete(principal, SmartListId(smart_list_id))

    @get("/{smart_list_id:uuid}/bookmarks")
    async def run_smart_list(
        self,
        smart_list_id: FromPath[UUID],
        smart_lists: NamedDependency[SmartListService],
        principal: NamedDependency[Principal],
        limit: PageSize = DEFAULT_PAGE_SIZE,
        cursor: PageCursor = None,
    ) -> BookmarkPage:
        """The bookmarks the saved search finds now, in its saved order."""
        page = await smart_lists.bookmarks(
            principal, SmartListId(smart_list_id), limit=limit, cursor=cursor
        )
        return BookmarkPage.of(page)
