"""Smart lists: saved searches with a name (SPEC 3.2)."""

from __future__ import annotations

from collections.abc import Sequence

from project.domain.model.bookmarks import Bookmark
from project.domain.model.errors import NotFound
from project.domain.model.ids import SmartListId
from project.domain.model.pages import Page, Sort
from project.domain.model.principal import Principal
from project.domain.model.smart_lists import SmartList
from project.domain.services._catalog import CatalogDeps
from project.domain.services.search import SearchService
from project.ports.catalog import CatalogUnitOfWork


class SmartListService:
    def __init__(self, deps: CatalogDeps, search: SearchService) -> None:
        self._d = deps
        self._search = search

    async def create(self, actor: Principal, name: str, query: str, sort: Sort) -> SmartList:
        smart = SmartList.create(
            id=SmartListId(self._d.ids.new_id()),
            owner_id=actor.user_id,
            name=name,
            query=query,
            sort=sort,
            at=self._d.clock.now(),
        )
        async with self._d.uow() as uow:
            await uow.smart_lists.add(smart)
            await uow.commit()
        return smart

    async def list(self, actor: Principal) -> Sequence[SmartList]:
        async with self._d.uow() as uow:
            return await uow.smart_lists.list(actor.user_id)

    async def get(self, actor: Principal, smart_list_id: SmartListId) -> SmartList:
        async with self._d.uow() as uow:
            return await _owned(uow, actor, smart_list_id)

    async def update(
        self,
        actor: Principal,
        smart_list_id: SmartListId,
        *,
        name: str | None = None,
        query: str | None = None,
        sort: Sort | None = None,
    ) -> SmartList:
        async with self._d.uow() as uow:
            smart = await _owned(uow, actor, smart_list_id)
            smart.edit(name=name, query=query, sort=sort, at=self._d.clock.now())
            await uow.smart_lists.update(smart)
            await uow.commit()
        return smart

    async def delete(self, actor: Principal, smart_list_id: SmartListId) -> None:
        async with self._d.uow() as uow:
            await _owned(uow, actor, smart_list_id)
            await uow.smart_lists.delete(smart_list_id)
            await uow.commit()

    async def bookmarks(
        self,
        actor: Principal,
        smart_list_id: SmartListId,
        *,
        limit: int = 50,
        cursor: str | None = None,
    ) -> Page[Bookmark]:
        """Run the saved search now."""
        smart = await self.get(actor, smart_list_id)
        return await self._search.search(
            actor, smart.query, sort=smart.sort, limit=limit, cursor=cursor
        )


async def _owned(uow: CatalogUnitOfWork, actor: Principal, smart_list_id: SmartListId) -> SmartList:
    smart = await uow.smart_lists.get(smart_list_id)
    if smart is None or smart.owner_id != actor.user_id:
        raise NotFound("No such smart list.")
    return smart
