"""Smart lists: a saved search with a name, listed beside collections (SPEC 3.2)."""

from __future__ import annotations

from datetime import datetime

import msgspec

from project.domain.model.errors import InvalidInput
from project.domain.model.ids import SmartListId, UserId
from project.domain.model.pages import Sort

MAX_SMART_LIST_NAME_LENGTH = 100
MAX_QUERY_LENGTH = 1000


class SmartList(msgspec.Struct, kw_only=True):
    id: SmartListId
    owner_id: UserId
    name: str
    query: str
    sort: Sort
    created_at: datetime
    updated_at: datetime

    @classmethod
    def create(
        cls,
        *,
        id: SmartListId,
        owner_id: UserId,
        name: str,
        query: str,
        sort: Sort,
        at: datetime,
    ) -> SmartList:
        smart = cls(
            id=id, owner_id=owner_id, name="", query="", sort=sort, created_at=at, updated_at=at
        )
        smart.edit(name=name, query=query, sort=sort, at=at)
        return smart

    def edit(self, *, name: str | None, query: str | None, sort: Sort | None, at: datetime) -> None:
        if name is not None:
            cleaned = " ".join(name.split())
            if not cleaned or len(cleaned) > MAX_SMART_LIST_NAME_LENGTH:
                raise InvalidInput(
                    f"A smart list name must be 1 to {MAX_SMART_LIST_NAME_LENGTH} characters."
                )
            self.name = cleaned
        if query is not None:
            if len(query) > MAX_QUERY_LENGTH:
                raise InvalidInput(f"A query must be at most {MAX_QUERY_LENGTH} characters.")
            self.query = query
        if sort is not None:
            self.sort = sort
        self.updated_at = at
