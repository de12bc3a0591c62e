"""Keyset pagination over the four sorts: ORDER BY, the WHERE that resumes after a cursor,
and the cursor a page's last row gives.

Every sort ends with the id, so the order is total and a walk meets each row exactly once.
A cursor is client input: a key of the wrong type or an id that is no UUID is InvalidInput.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Float, FromClause, Row, String, Uuid, bindparam, tuple_

from project.adapters.sql._types import UtcDateTime
from project.adapters.sql.catalog_tables import bookmarks
from project.domain.model.errors import InvalidInput
from project.domain.model.pages import Cursor, Sort, encode_cursor

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_DESCENDING = {Sort.NEWEST: True, Sort.OLDEST: False, Sort.TITLE: False, Sort.RELEVANCE: True}
_BAD_CURSOR = "The cursor is not valid; start again from the first page."


class Keyset:
    def __init__(self, sort: Sort, cursor: Cursor | None) -> None:
        self._sort = sort
        self._after = None if cursor is None else _decode(sort, cursor)

    def order(
        self, score: ColumnElement[float] | None, rows: FromClause | None = None
    ) -> list[Any]:
        """ORDER BY over `bookmarks`, or over `rows`, a subquery of listed rows."""
        keys = self._key(score, rows)
        return [c.desc() if _DESCENDING[self._sort] else c.asc() for c in keys]

    def after_cursor(self, score: ColumnElement[float] | None) -> list[ColumnElement[bool]]:
        if self._after is None:
            return []
        key = tuple_(*self._key(score))
        resume = tuple_(*self._after)
        return [key < resume if _DESCENDING[self._sort] else key > resume]

    def cursor_after(self, row: Row[Any]) -> str:
        key: int | float | str
        if self._sort is Sort.TITLE:
            key = row.sort_title
        elif self._sort is Sort.RELEVANCE:
            key = float(row.score)
        else:
            key = (row.created_at - _EPOCH) // _MICROSECOND
        return encode_cursor(Cursor(sort=self._sort, key=key, id=str(row.id)))

    def _key(
        self, score: ColumnElement[float] | None, rows: FromClause | None = None
    ) -> Sequence[Any]:
        c = bookmarks.c if rows is None else rows.c
        if self._sort is Sort.TITLE:
            return c.sort_title, c.id
        if self._sort is Sort.RELEVANCE:
            if score is None:
                raise ValueError("a relevance order needs a score")
            return score, c.id
        return c.created_at, c.id


def _decode(sort: Sort, cursor: Cursor) -> tuple[Any, Any]:
    if cursor.sort is not sort:
        raise InvalidInput("The cursor belongs to another sort order.")
    try:
        row_id = uuid.UUID(cursor.id)
    except ValueError:
        raise InvalidInput(_BAD_CURSOR) from None
    return _decode_key(sort, cursor.key), bindparam(None, row_id, Uuid())


def _decode_key(sort: Sort, key: object) -> Any:
    if sort is Sort.TITLE:
        if not isinstance(key, str) or "\x00" in key or not _encodable(key):
            raise InvalidInput(_BAD_CURSOR)
        return bindparam(None, key, String())
    if isinstance(key, bool) or not isinstance(key, int | float):
        raise InvalidInput(_BAD_CURSOR)
    if sort is Sort.RELEVANCE:
        return bindparam(None, float(key), Float())
    if not isinstance(key, int):
        raise InvalidInput(_BAD_CURSOR)
    try:
        return bindparam(None, _EPOCH + key * _MICROSECOND, UtcDateTime())
    except OverflowError:
        raise InvalidInput(_BAD_CURSOR) from None


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
