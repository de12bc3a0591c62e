"""Listing: sorts, page sizes and opaque keyset cursors (SPEC 3.5)."""

from __future__ import annotations

import base64
import binascii
import enum
from collections.abc import Sequence
from typing import Generic, TypeVar

import msgspec

from project.domain.model.errors import InvalidInput

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100

T = TypeVar("T")


class Sort(enum.StrEnum):
    NEWEST = "newest"
    OLDEST = "oldest"
    TITLE = "title"
    RELEVANCE = "relevance"


class Cursor(msgspec.Struct, frozen=True, array_like=True):
    """Where the previous page ended: the sort key of its last row and that row's id.

    `sort` is kept so a cursor from one ordering is refused by another instead of
    silently skipping rows. `key` is a timestamp in microseconds, a title, or a rank.
    """

    sort: Sort
    key: int | float | str
    id: str


def encode_cursor(cursor: Cursor) -> str:
    return base64.urlsafe_b64encode(msgspec.json.encode(cursor)).decode().rstrip("=")


def decode_cursor(text: str, sort: Sort) -> Cursor:
    """Raise InvalidInput for anything that is not a cursor this service made for `sort`."""
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        cursor = msgspec.json.decode(raw, type=Cursor)
    except (binascii.Error, ValueError, msgspec.DecodeError):
        raise InvalidInput("The cursor is not valid; start again from the first page.") from None
    if cursor.sort is not sort:
        raise InvalidInput("The cursor belongs to another sort order.")
    return cursor


def check_page_size(limit: int) -> int:
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise InvalidInput(f"limit must be between 1 and {MAX_PAGE_SIZE}.")
    return limit


class Page(msgspec.Struct, Generic[T], frozen=True, kw_only=True):
    items: Sequence[T]
    next_cursor: str | None = None
    total: int | None = None
