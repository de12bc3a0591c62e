"""Tags on the wire (/api/v1/tags)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

import msgspec

from project.domain.services.tags import MAX_MERGE_SOURCES
from project.entrypoints.http.schemas._base import InBody, OutBody
from project.entrypoints.http.schemas.bookmarks import Tag
from project.ports.catalog import TagCount


class TagOut(OutBody):
    name: str
    count: int
    """How many of the caller's bookmarks carry the tag."""


class TagList(OutBody):
    items: list[TagOut]

    @classmethod
    def of(cls, counts: Sequence[TagCount]) -> TagList:
        return cls(items=[TagOut(name=c.name, count=c.count) for c in counts])


class RenameTag(InBody):
    name: Tag
    """The new name; renaming onto an existing tag merges the two."""


class MergeTags(InBody):
    sources: Annotated[list[Tag], msgspec.Meta(min_length=1, max_length=MAX_MERGE_SOURCES)]
    into: Tag


class TagsChanged(OutBody):
    changed: int
    """How many bookmarks changed."""
