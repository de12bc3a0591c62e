"""Entity tags of versioned resources (SPEC 3.2, 4): `ETag` on reads, `If-Match` on writes.

A tag is strong and names the resource and its version: `"<id>-<version>"`. The version moves
with every stored change (edits, tag renames, fetched page data), so equal tags mean equal
representations and the tag itself is what `If-Match` hands back to the service.

A malformed, weak or foreign `If-Match` can never name the current version, so it fails the
precondition (412) rather than answering 400: either way nothing is written.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar.datastructures import ResponseHeader
from litestar.params import HeaderParameter

from project.domain.model.errors import PreconditionFailed

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

ETAG_HEADER = ResponseHeader(
    name="ETag",
    value='"<id>-<version>"',
    documentation_only=True,
    description="Strong entity tag of this version; send it back in `If-Match` to edit.",
)


def entity_tag(resource_id: UUID, version: int) -> str:
    return f'"{resource_id}-{version}"'


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
