"""Full-text matching per dialect: FTS5 on SQLite, a tsvector on PostgreSQL.

Every term the user typed travels as one bound parameter (S17). A term is cut into words the
way both engines cut text (runs of letters, digits and marks; everything else separates), and
a term of several words must match them adjacent and in order, as a phrase. A term without a
single word character (`!!!`) is dropped: it constrains nothing.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any, Protocol

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Float,
    FromClause,
    Integer,
    Select,
    String,
    Uuid,
    bindparam,
    column,
    func,
    literal_column,
    select,
    table,
)
from sqlalchemy.dialects.postgresql import TSQUERY, TSVECTOR

from project.adapters.sql.catalog_tables import bookmarks

Words = tuple[str, ...]

# bm25 weight of each FTS5 column: title, description, notes, url, page title, page
# description, page text (the tsvector's A-D weights say the same on PostgreSQL).
_FTS_WEIGHTS = (10.0, 4.0, 2.0, 2.0, 10.0, 4.0, 1.0)

_fts = table("bookmarks_fts", column("rowid", Integer))
_fts_keys = table("bookmarks_fts_keys", column("fts_rowid", Integer), column("bookmark_id", Uuid))
_search_vector = literal_column("bookmarks.search_vector", TSVECTOR)


def words_of(term: str) -> Words:
    """The words of a term: maximal runs of letters, digits, marks and private-use characters."""
    words: list[str] = []
    current: list[str] = []
    for char in unicodedata.normalize("NFC", term):
        category = unicodedata.category(char)
        if category[0] in "LNM" or category == "Co":
            current.append(char)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return tuple(words)


def terms_of(texts: Sequence[str]) -> list[Words]:
    return [words for words in map(words_of, texts) if words]


class TextMatcher(Protocol):
    def matching(self, terms: Sequence[Words]) -> ColumnElement[bool]:
        """Bookmarks that match every term."""
        ...

    def matching_any(self, terms: Sequence[Words]) -> ColumnElement[bool]:
        """Bookmarks that match at least one term."""
        ...

    def ranked(
        self, terms: Sequence[Words]
    ) -> tuple[FromClause, ColumnElement[float], list[ColumnElement[bool]]]:
        """What to select from, the score (higher is better) and the conditions that keep
        the bookmarks matching every term."""
        ...


def text_matcher(dialect_name: str) -> TextMatcher:
    if dialect_name == "postgresql":
        return PostgresMatcher()
    if dialect_name == "sqlite":
        return SqliteMatcher()
    raise ValueError(f"unsupported dialect {dialect_name}")


class SqliteMatcher:
    """`bookmarks_fts MATCH :expression`, the expression a chain of quoted FTS5 strings."""

    def matching(self, terms: Sequence[Words]) -> ColumnElement[bool]:
        return bookmarks.c.id.in_(self._ids(" AND ".join(map(_fts5_string, terms))))

    def matching_any(self, terms: Sequence[Words]) -> ColumnElement[bool]:
        return bookmarks.c.id.in_(self._ids(" OR ".join(map(_fts5_string, terms))))

    def ranked(
        self, terms: Sequence[Words]
    ) -> tuple[FromClause, ColumnElement[float], list[ColumnElement[bool]]]:
        weights = [bindparam(None, weight, Float) for weight in _FTS_WEIGHTS]
        score = (-func.bm25(literal_column("bookmarks_fts"), *weights)).label("score")
        expression = " AND ".join(map(_fts5_string, terms))
        hits = select(_fts.c.rowid.label("fts_rowid"), score).where(_match(expression))
        found = hits.subquery("hits")
        joined = bookmarks.join(_fts_keys, _fts_keys.c.bookmark_id == bookmarks.c.id).join(
            found, found.c.fts_rowid == _fts_keys.c.fts_rowid
        )
        return joined, found.c.score, []  # the join keeps only the matches

    def _ids(self, expression: str) -> Select[Any]:
        rowids = select(_fts.c.rowid).where(_match(expression))
        return select(_fts_keys.c.bookmark_id).where(_fts_keys.c.fts_rowid.in_(rowids))


class PostgresMatcher:
    """`search_vector @@ query`, the query built from `phraseto_tsquery('simple', :words)`."""

    def matching(self, terms: Sequence[Words]) -> ColumnElement[bool]:
        return _search_vector.op("@@", return_type=Boolean())(_tsquery(terms, "&&"))

    def matching_any(self, terms: Sequence[Words]) -> ColumnElement[bool]:
        return _search_vector.op("@@", return_type=Boolean())(_tsquery(terms, "||"))

    def ranked(
        self, terms: Sequence[Words]
    ) -> tuple[FromClause, ColumnElement[float], list[ColumnElement[bool]]]:
        query = _tsquery(terms, "&&")
        score = func.ts_rank(_search_vector, query, type_=Float)
        return bookmarks, score, [_search_vector.op("@@", return_type=Boolean())(query)]


def _fts5_string(words: Words) -> str:
    """An FTS5 string: the words between double quotes, any quote inside doubled."""
    return '"' + " ".join(words).replace('"', '""') + '"'


def _match(expression: str) -> ColumnElement[bool]:
    return literal_column("bookmarks_fts").op("MATCH", return_type=Boolean())(
        bindparam(None, expression, String)
    )


def _tsquery(terms: Sequence[Words], combine: str) -> ColumnElement[Any]:
    queries: list[ColumnElement[Any]] = [
        func.phraseto_tsquery(
            literal_column("'simple'"), bindparam(None, " ".join(words), String), type_=TSQUERY
        )
        for words in terms
    ]
    query = queries[0]
    for more in queries[1:]:
        query = query.op(combine, return_type=TSQUERY())(more)
    return query
