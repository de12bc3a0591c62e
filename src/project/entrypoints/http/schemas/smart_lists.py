"""Smart lists on the wire: a saved search with a name (/api/v1, SPEC 3.2)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from project.domain.model.pages import Sort
from project.domain.model.smart_lists import (
    MAX_QUERY_LENGTH,
    MAX_SMART_LIST_NAME_LENGTH,
    SmartList,
)
from project.entrypoints.http.schemas._base import InBody, OutBody

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_SMART_LIST_NAME_LENGTH)]
SavedQuery = Annotated[str, msgspec.Meta(max_length=MAX_QUERY_LENGTH)]


class CreateSmartList(InBody):
    name: Name
    query: SavedQuery = ""
    sort: Sort = Sort.NEWEST


class UpdateSmartList(InBody):
    name: Name | msgspec.UnsetType = msgspec.UNSET
    query: SavedQuery | msgspec.UnsetType = msgspec.UNSET
    sort: Sort | msgspec.UnsetType = msgspec.UNSET


class SmartListOut(OutBody):
    id: UUID
    name: str
    query: str
    sort: Sort
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, smart: SmartList) -> SmartListOut:
        return cls(
            id=smart.id,
            name=smart.name,
            query=smart.query,
            sort=smart.sort,
            created_at=smart.created_at,
            updated_at=smart.updated_at,
        )


class SmartListList(OutBody):
    items: list[SmartListOut]
