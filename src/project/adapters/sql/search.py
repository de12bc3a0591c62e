"""Search and listing: filters, full text, the four sorts and keyset pages.

A page is one SELECT whatever its size: the rows (limit + 1, to know whether another page
follows) with their tags aggregated beside them; `with_total` adds one COUNT.

Query semantics the SPEC leaves open: `before:D` keeps bookmarks created before D 00:00 UTC,
`after:D` those created at D 00:00 UTC or later; several `site:` terms keep bookmarks on any of
those sites (the host is the site or a subdomain of it), `-site:` drops each of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Select,
    Uuid,
    and_,
    bindparam,
    exists,
    func,
    literal,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection

from project.adapters.sql._bookmark_rows import LISTED_COLUMNS, site_key, tag_names, to_bookmark
from project.adapters.sql._fulltext import TextMatcher, Words, terms_of, text_matcher
from project.adapters.sql._keyset import Keyset
from project.adapters.sql.catalog_tables import bookmark_tags, bookmarks
from project.domain.model.bookmarks import Bookmark
from project.domain.model.errors import InvalidUrl
from project.domain.model.ids import BookmarkId, CollectionId, UserId
from project.domain.model.pages import Page, Sort, check_page_size
from project.domain.model.query import SearchQuery
from project.domain.model.search import SearchRequest, SearchScope
from project.domain.model.urls import canonical_host

Conditions = list[ColumnElement[bool]]


class SqlBookmarkSearch:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection
        self._dialect = connection.dialect.name
        self._text: TextMatcher = text_matcher(self._dialect)

    async def search(self, request: SearchRequest) -> Page[Bookmark]:
        limit = check_page_size(request.limit)
        keyset = Keyset(request.effective_sort, request.cursor)
        where = _where(request.scope, request.query, self._text)
        if where is None:
            return Page(items=(), total=0 if request.with_total else None)
        terms = terms_of((*request.query.words, *request.query.phrases))
        collections = request.scope.collection_ids
        if self._dialect == "postgresql" and collections is not None and len(collections) > 1:
            filters = _where(request.scope, request.query, self._text, in_collections=False)
            statement = self._merged_page(
                request.effective_sort, keyset, filters or [], terms, limit, collections
            )
        else:
            statement = self._page(request.effective_sort, keyset, where, terms, limit)
        rows = list(await self._conn.execute(statement))
        following = keyset.cursor_after(rows[limit - 1]) if len(rows) > limit else None
        total = await self._count(where, terms) if request.with_total else None
        items = [to_bookmark(row) for row in rows[:limit]]
        return Page(items=items, next_cursor=following, total=total)

    async def index_page_text(self, bookmark_id: BookmarkId, text: str) -> None:
        # PostgreSQL text cannot hold NUL, and nothing searchable is lost without it.
        clean = text.replace("\x00", "")
        statement = update(bookmarks).where(bookmarks.c.id == bookmark_id).values(page_text=clean)
        await self._conn.execute(statement)

    async def page_text(self, bookmark_id: BookmarkId) -> str | None:
        statement = select(bookmarks.c.page_text).where(bookmarks.c.id == bookmark_id)
        text: str | None = (await self._conn.execute(statement)).scalar_one_or_none()
        return text

    def _page(
        self, sort: Sort, keyset: Keyset, where: Conditions, terms: list[Words], limit: int
    ) -> Select[Any]:
        source, score, matched = self._matching(sort, terms)
        # The tags subquery runs for the rows of the page only: PostgreSQL evaluates it after
        # the sort and limit, SQLite for the few rows that enter its top-N sorter.
        extra = [] if score is None else [score.label("score")]
        return (
            select(*LISTED_COLUMNS, *extra, tag_names(self._dialect, bookmarks.c.id))
            .select_from(source)
            .where(*where, *matched, *keyset.after_cursor(score))
            .order_by(*keyset.order(score))
            .limit(limit + 1)
        )

    def _merged_page(
        self,
        sort: Sort,
        keyset: Keyset,
        where: Conditions,
        terms: list[Words],
        limit: int,
        collections: Sequence[CollectionId],
    ) -> Select[Any]:
        """A page over several collections (PostgreSQL): the first `limit + 1` rows of each
        collection (in the date sorts straight from `ix_bookmarks_collection_created`), then
        the first `limit + 1` of those. Under one `collection_id IN (...)` the planner has to
        fetch every bookmark of those collections and sort them all, or scan the whole table
        when they hold many (tests/contract/test_query_plans.py). For a member of collections
        holding 33,000 of 200,000 bookmarks: a sequential scan, ~110 ms a page warm; this way
        ~1.5 ms."""
        source, score, matched = self._matching(sort, terms)
        extra = [] if score is None else [score.label("score")]
        scope = (
            func.unnest(bindparam("collection_ids", list(set(collections)), type_=ARRAY(Uuid)))
            .table_valued("collection_id")
            .render_derived(name="scope")
        )
        each = (
            select(*LISTED_COLUMNS, *extra)
            .select_from(source)
            .where(bookmarks.c.collection_id == scope.c.collection_id)
            .where(*where, *matched, *keyset.after_cursor(score))
            .order_by(*keyset.order(score))
            .limit(limit + 1)
            .lateral("per_collection")
        )
        merged_score = None if score is None else each.c.score
        return (
            select(*each.c, tag_names(self._dialect, each.c.id))
            .select_from(scope.join(each, true()))
            .order_by(*keyset.order(merged_score, each))
            .limit(limit + 1)
        )

    def _matching(
        self, sort: Sort, terms: list[Words]
    ) -> tuple[FromClause, ColumnElement[float] | None, Conditions]:
        """What to select from, the relevance score (None unless sorted by it) and the
        full-text conditions."""
        if sort is Sort.RELEVANCE:
            return self._ranked(terms)
        return bookmarks, None, [self._text.matching(terms)] if terms else []

    def _ranked(self, terms: list[Words]) -> tuple[FromClause, ColumnElement[float], Conditions]:
        if not terms:  # only word-less terms: every candidate ties, the id orders them
            return bookmarks, literal(0.0), []
        return self._text.ranked(terms)

    async def _count(self, where: Conditions, terms: list[Words]) -> int:
        matched = [self._text.matching(terms)] if terms else []
        statement = select(func.count()).select_from(bookmarks).where(*where, *matched)
        return (await self._conn.execute(statement)).scalar_one()


def _where(
    scope: SearchScope, query: SearchQuery, text: TextMatcher, *, in_collections: bool = True
) -> Conditions | None:
    """The conditions of a search but the full-text match; None when nothing can match.
    `in_collections=False` leaves the scope's collections to the caller."""
    parts = (_scope(scope, in_collections), _tags(query, scope.owner_id), _sites(query))
    if any(part is None for part in parts):
        return None
    where = [condition for part in parts for condition in part or ()]
    where += _flags(query) + _dates(query)
    excluded = terms_of(query.excluded_words)
    if excluded:
        where.append(~text.matching_any(excluded))
    return where


def _scope(scope: SearchScope, in_collections: bool) -> Conditions | None:
    where: Conditions = []
    if scope.owner_id is not None:
        where.append(bookmarks.c.owner_id == scope.owner_id)
    if scope.collection_ids is not None:
        if not scope.collection_ids:
            return None
        if in_collections:
            where.append(bookmarks.c.collection_id.in_(scope.collection_ids))
    return where


def _tags(query: SearchQuery, owner_id: UserId | None) -> Conditions | None:
    if not all(map(_storable, query.tags)):
        return None  # no stored tag holds NUL or a lone surrogate
    where: Conditions = [_tagged(owner_id, tag) for tag in query.tags]
    excluded = [tag for tag in query.excluded_tags if _storable(tag)]
    if excluded:
        where.append(~_tagged(owner_id, *excluded))
    return where


def _tagged(owner_id: UserId | None, *names: str) -> ColumnElement[bool]:
    """Naming the owner lets the (owner_id, name) index find a tag's bookmarks."""
    tagged = exists().where(
        bookmark_tags.c.bookmark_id == bookmarks.c.id, bookmark_tags.c.name.in_(names)
    )
    return tagged if owner_id is None else tagged.where(bookmark_tags.c.owner_id == owner_id)


def _sites(query: SearchQuery) -> Conditions | None:
    wanted = [host for host in map(_host, query.sites) if host is not None]
    if query.sites and not wanted:
        return None
    where: Conditions = [or_(*map(_on_site, wanted))] if wanted else []
    where += [~_on_site(host) for host in map(_host, query.excluded_sites) if host is not None]
    return where


def _on_site(host: str) -> ColumnElement[bool]:
    """The key range of the site and its subdomains: from `com.example.` up to `com.example/`."""
    key = site_key(host)
    return and_(bookmarks.c.site_key >= key, bookmarks.c.site_key < key[:-1] + "/")


def _host(site: str) -> str | None:
    """The site as canonical URLs spell hosts; None for text no host can equal."""
    try:
        host = canonical_host(site.strip().lower())
    except InvalidUrl:
        return None
    return host if _storable(host) else None


def _flags(query: SearchQuery) -> Conditions:
    flags = {
        bookmarks.c.unread: query.unread,
        bookmarks.c.favorite: query.favorite,
        bookmarks.c.archived: query.archived,
    }
    return [column == value for column, value in flags.items() if value is not None]


def _dates(query: SearchQuery) -> Conditions:
    where: Conditions = []
    if query.before is not None:
        where.append(bookmarks.c.created_at < _midnight(query.before))
    if query.after is not None:
        where.append(bookmarks.c.created_at >= _midnight(query.after))
    return where


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


def _storable(text: str) -> bool:
    """Whether a database can hold the text: no NUL, no lone surrogate."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
