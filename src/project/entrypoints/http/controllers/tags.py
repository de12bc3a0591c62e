"""The caller's tags: counts, rename, merge, delete (SPEC 3.3).

A tag may contain "/", so rename and delete take the rest of the path as the name
(`/api/v1/tags/dev/python`; `%2F` works too). "merge" is a valid tag name as well, but the
static `/merge` route would shadow it (405), so that one name gets routes of its own.
"""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, PathParameter

from project.domain.model.principal import Principal
from project.domain.services.tags import TagService
from project.entrypoints.http.etags import (
    LISTING_ETAG_HEADER,
    NOT_MODIFIED,
    IfNoneMatch,
    conditional,
    listing_tag,
)
from project.entrypoints.http.schemas.tags import MergeTags, RenameTag, TagList, TagsChanged

_MERGE = "merge"
# The domain allows 64 characters; leave room for unnormalized spellings. The value arrives
# with the "/" that separates it from the prefix: 256 characters of tag are 257 here.
TagPath = Annotated[
    str, PathParameter(max_length=257, description="The tag.", schema_extra={"maxLength": 256})
]


class TagController(Controller):
    path = "/api/v1/tags"
    tags = ["tags"]

    @get(
        "/",
        summary="The caller's tags with how many bookmarks carry each",
        response_headers=[LISTING_ETAG_HEADER],
        responses={304: NOT_MODIFIED},
    )
    async def list_tags(
        self,
        tagging: NamedDependency[TagService],
        principal: NamedDependency[Principal],
        if_none_match: IfNoneMatch = None,
    ) -> Response[TagList]:
        counts = await tagging.counts(principal)
        tag = listing_tag([(c.name, c.count) for c in counts])
        return conditional(TagList.of(counts), tag, if_none_match)

    @post(f"/{_MERGE}", status_code=200, summary="Merge tags into one")
    async def merge_tags(
        self,
        data: JSONBody[MergeTags],
        tagging: NamedDependency[TagService],
        principal: NamedDependency[Principal],
    ) -> TagsChanged:
        return TagsChanged(changed=await tagging.merge(principal, data.sources, data.into))

    @patch("/{name:path}", summary="Rename a tag (onto an existing one: merge)")
    async def rename_tag(
        self,
        name: TagPath,
        data: JSONBody[RenameTag],
        tagging: NamedDependency[TagService],
        principal: NamedDependency[Principal],
    ) -> TagsChanged:
        return await _rename(tagging, principal, _tag_of(name), data)

    @delete("/{name:path}", status_code=204, summary="Remove a tag from every bookmark")
    async def delete_tag(
        self,
        name: TagPath,
        tagging: NamedDependency[TagService],
        principal: NamedDependency[Principal],
    ) -> None:
        await tagging.delete(principal, _tag_of(name))

    @patch(f"/{_MERGE}", summary="Rename the tag named 'merge'")
    async def rename_tag_named_merge(
        self,
        data: JSONBody[RenameTag],
        tagging: NamedDependency[TagService],
        principal: NamedDependency[Principal],
    ) -> TagsChanged:
        return await _rename(tagging, principal, _MERGE, data)

    @delete(f"/{_MERGE}", status_code=204, summary="Remove the tag named 'merge'")
    async def delete_tag_named_merge(
        self,
        tagging: NamedDependency[TagService],
        principal: NamedDependency[Principal],
    ) -> None:
        await tagging.delete(principal, _MERGE)


async def _rename(tags: TagService, principal: Principal, old: str, data: RenameTag) -> TagsChanged:
    return TagsChanged(changed=await tags.rename(principal, old, data.name))


def _tag_of(path_value: str) -> str:
    # A `path` parameter keeps the "/" that separates it from the route's prefix.
    return path_value.removeprefix("/")
