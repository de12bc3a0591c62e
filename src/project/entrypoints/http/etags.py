"""Entity tags of versioned resources (SPEC 3.2, 4): `ETag` on reads, `If-Match` on writes.

A tag is strong and names the resource and its version: `"<id>-<version>"`. The version moves
with every stored change (edits, tag renames, fetched page data), so equal tags mean equal
representations and the tag itself is what `If-Match` hands back to the service.

A malformed, weak or foreign `If-Match` can never name the current version, so it fails the
precondition (412) rather than answering 400: either way nothing is written.

Listings (a page of bookmarks, the tag counts) carry a weak tag digested from what they show:
for a page, each bookmark's id and version, the cursor and the total. It needs no cache and
means the same on every instance; `If-None-Match` with it answers 304. Being weak, it never
satisfies `If-Match`: listings are not edited as a whole.
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Response
from litestar.datastructures import ResponseHeader
from litestar.openapi import ResponseSpec
from litestar.params import HeaderParameter

from project.domain.model.bookmarks import Bookmark
from project.domain.model.errors import PreconditionFailed
from project.domain.model.pages import Page

MAX_CONDITION_LENGTH = 1024
_WEAK = "W/"
_ANY = "*"
_MAX_DIGITS = 18

IfMatch = Annotated[
    str | None,
    HeaderParameter(
        name="if-match",
        max_length=MAX_CONDITION_LENGTH,
        description="The `ETag` of the copy the change was made to; 412 when it is stale.",
    ),
]
IfNoneMatch = Annotated[
    str | None,
    HeaderParameter(
        name="if-none-match",
        max_length=MAX_CONDITION_LENGTH,
        description="`ETag`s the caller holds; 304 with no body when one is current.",
    ),
]

NOT_MODIFIED = ResponseSpec(
    data_container=None, description="`If-None-Match` names the current version."
)
ETAG_HEADER = ResponseHeader(
    name="ETag",
    value='"<id>-<version>"',
    documentation_only=True,
    description="Strong entity tag of this version; send it back in `If-Match` to edit.",
)
LISTING_ETAG_HEADER = ResponseHeader(
    name="ETag",
    value='W/"<digest>"',
    documentation_only=True,
    description="Weak entity tag of this listing; send it in `If-None-Match` for a 304.",
)


def entity_tag(resource_id: UUID, version: int) -> str:
    return f'"{resource_id}-{version}"'


def listing_tag(content: object) -> str:
    """A weak tag of a listing, digested from what decides its representation."""
    digest = hashlib.blake2b(msgspec.msgpack.encode(content), digest_size=16).hexdigest()
    return f'{_WEAK}"{digest}"'


def page_tag(page: Page[Bookmark]) -> str:
    """A page of bookmarks shows each one as its version says, then the cursor and total."""
    return listing_tag(([(b.id, b.version) for b in page.items], page.next_cursor, page.total))


def conditional(body: object, tag: str, if_none_match: str | None) -> Response[Any]:
    """The body tagged, or 304 with no body when `If-None-Match` names the tag."""
    if is_not_modified(if_none_match, tag):
        return Response(None, status_code=304, headers={"ETag": tag})
    return Response(body, headers={"ETag": tag})


def is_not_modified(if_none_match: str | None, current: str) -> bool:
    """`If-None-Match` holds the current tag (weak comparison, RFC 9110 13.1.2) or `*`."""
    if if_none_match is None:
        return False
    if if_none_match.strip() == _ANY:
        return True
    opaque = current.removeprefix(_WEAK)
    return any(tag.removeprefix(_WEAK) == opaque for tag in _tags(if_none_match))


def expected_version(if_match: str | None, resource_id: UUID) -> int | None:
    """The version `If-Match` requires, for the service to compare with the stored one.

    None when there is no condition (or `*`: any current version). Raises PreconditionFailed
    when no strong tag of this resource is named, or several versions are.
    """
    if if_match is None or if_match.strip() == _ANY:
        return None
    versions = {
        version for tag in _tags(if_match) if (version := _version_of(tag, resource_id)) is not None
    }
    if len(versions) != 1:
        raise PreconditionFailed(
            "If-Match must carry the ETag of this resource as last read; reload and retry."
        )
    return versions.pop()


def _tags(header: str) -> list[str]:
    return [tag for part in header.split(",") if (tag := part.strip())]


def _version_of(tag: str, resource_id: UUID) -> int | None:
    """The version in a strong tag of this resource; None for any other tag."""
    if len(tag) < 2 or not (tag.startswith('"') and tag.endswith('"')):
        return None  # weak (`W/"..."`) or not a quoted tag: strong comparison fails
    name, _, version = tag[1:-1].rpartition("-")
    is_number = version.isascii() and version.isdigit() and len(version) <= _MAX_DIGITS
    return int(version) if name == str(resource_id) and is_number else None
