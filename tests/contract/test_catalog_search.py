"""The search port (BookmarkSearch): the query language, sorts, keyset pages and scopes, proved
on SQLite (FTS5) and PostgreSQL (tsvector) with the same expectations.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from project.domain.model.bookmarks import Bookmark, BookmarkChanges, PageMetadata
from project.domain.model.errors import InvalidInput
from project.domain.model.ids import CollectionId
from project.domain.model.pages import Cursor, Page, Sort, decode_cursor
from project.domain.model.query import SearchQuery, parse_query
from project.domain.model.search import SearchRequest, SearchScope
from project.domain.model.users import User
from project.ports.catalog import CatalogUnitOfWorkFactory
from tests.contract._catalog_factories import a_bookmark, a_collection, committing, saved_users
from tests.contract._factories import T0, at


async def _seed(factory: CatalogUnitOfWorkFactory, *bookmarks: Bookmark) -> None:
    async with committing(factory) as uow:
        await uow.bookmarks.add_many(bookmarks)


async def _search(
    factory: CatalogUnitOfWorkFactory,
    owner: User | None,
    text: str = "",
    **fields: Any,
) -> Page[Bookmark]:
    scope = fields.pop("scope", None) or SearchScope(owner_id=owner.id if owner else None)
    request = SearchRequest(scope=scope, query=parse_query(text), **({"limit": 100} | fields))
    async with factory() as uow:
        return await uow.search.search(request)


async def _titles(factory: CatalogUnitOfWorkFactory, owner: User, text: str = "") -> set[str]:
    page = await _search(factory, owner, text)
    return {bookmark.title for bookmark in page.items}


# --- full text ------------------------------------------------------------------------------


async def test_words_must_all_match_as_whole_words_in_any_case(
    catalog_uow_factory: CatalogUnitOfWorkFactory,
) -> None:
    [owner] = await saved_users(catalog_uow_factory)
    await _seed(
        catalog_uow_factory,
        a_bookmark(owner, title="The Quick brown fox"),
        a_bookmark(owner, title="quick thinking"),
        a_bookmark(owner, title="Foxes everywhere"),
    )
    f = catalog_uow_factory
    assert await _titles(f, owner, "quick") == {"The Quick brown fox", "quick thinking"}
    assert await _titles(f, owner, "QUICK FOX") == {"The Quick brown fox"}
    assert await _titles(f, owner, "fox") == {"The Quick brown fox"}
    assert await _titles(f, owner, "quick nowhere") == set()


async def test_every_text_field_is_searched(catalog_uow_factory: CatalogUnitOfWorkFactory) -> None:
    [owner] = await saved_users(catalog_uow_factory)
    page = PageMetadata(title="fetched headline", description="fetched summary")
    await _seed(
        catalog_uow_factory,
        a_bookmark(owner, title="by title", description="a description word"),
        a_bookmark(owner, title="by notes", notes="markdown **notes** here"),
        a_bookmark(owner, "https://docs.github.com/en/some-page", title="by url"),
        a_bookmark(owner, title="by page", page=page),
    )
    f = catalog_uow_factory
    assert await _titles(f, owner, "description") == {"by title"}
    assert await _titles(f, owner, "notes") == {"by notes"}
    assert await _titles(f, owner, "github") == {"by url"}
    assert await _titles(f, owner, "some-page") == {"by url"}
    assert await _titles(f, owner, "headline") == {"by page"}
    assert await _titles(f, owner, "summary") == {"by page"}


async def test_a_phrase_needs_its_words_adjacent_and_in_order(
    catalog_uow_factory: CatalogUnitOfWorkFactory,
) -> None:
    [owner] = await saved_users(catalog_uow_factory)
    await _seed(
        catalog_uow_factory,
        a_bookmark(owner, title="a quick fox"),
        a_bookmark(owner, title="the fox quick"),
        a_bookmark(owner, title="quick brown fox"),
    )
    f = catalog_uow_factory
    assert await _titles(f, owner, '"quick fox"') == {"a quick fox"}
    assert await _titles(f, owner, '"Quick   FOX"') == {"a quick fox"}
    assert await _titles(f, owner, '"fox quick"') == {"the fox quick"}


async def test_excluded_words_and_phrases_remove_matches(
    catalog_uow_factory: CatalogUnitOfWorkFactory,
) -> None:
    [owner] = await saved_users(catalog_uow_factory)
    await _seed(
        catalog_uow_factory,
        a_bookmark(owner, title="python snake"),
        a_bookmark(owner, title="python language"),
        a_bookmark(owner, title="green snake"),
    )
    f = catalog_uow_factory
    assert await _titles(f, owner, "python -snake") == {"python language"}
    assert await _titles(f, owner, "-snake") == {"python language"}
    assert await _titles(f, owner, "-snake -language") == set()
    assert await _titles(f, owner, '-"green snake"') == {"python snake", "python language"}


async def test_words_without_word_characters_constrain_nothing(
    catalog_uow_factory: CatalogUnitOfWorkFactory,
) -> None:
    [owner] = await saved_users(catalog_uow_factory)
    await _seed(catalog_uow_factory, a_bookmark(owner, title="one"), a_bookmark(owner, title="two"))
    f = catalog_uow_factory
    assert await _titles(f, owner, '!!! "..." -*** one') == {"one"}
    assert await _titles(f, owner, "!!! ---") == {"one", "two"}


async def test_archived_page_text_is_searchable_and_reindexing_replaces_it(
    catalog_uow_factory: CatalogUnitOfWorkFactory,
) -> None:
    [owner] = await saved_users(catalog_uow_factory)
    bookmark = a_bookmark(owner, title="archived")
    await _seed(catalog_uow_factory, bookmark)
    f = catalog_uow_factory
    async with committing(f) as uow:
        await uow.search.index_page_text(bookmark.id, "The body mentions zeppelins.\x00")
    assert await _titles(f, owner, "zeppelins") == {"archived"}
    assert await _titles(f, owner, '"body mentions"') == {"archived"}

    async with committing(f) as uow:
        await uow.search.index_page_text(bookmark.id, "Now about airships.")
    assert await _titles(f, owner, "zeppelins") == set()
    assert await _titles(f, owner, "airships") == {"archived"}


async def test_the_index_follows_edits_and_deletes(
    catalog_uow_factory: CatalogUnitOfWorkFactory,
) -> None:
    [owner] = await saved_users(catalog_uow_factory)
    edited, deleted = a_bookmark(owner, title="before"), a_bookmark(owner, title="doomed")
    await _seed(catalog_uow_factory, edited, deleted)
    f = catalog_uow_factory
    edited.apply(BookmarkChanges(title="after", notes="fresh notes"), at(1))
    async with committing(f) as uow:
        assert await uow.bookmarks.update(edited, expected_version=1)
        await uow.bookmarks.delete(deleted.id)
    assert await _titles(f, owner, "before") == set()
    assert await _titles(f, owner, "after fresh") == {"after"}
    assert await _titles(f, owner, "doomed") == set()


@pytest.mark.parametrize("catalog_engine", ["sqlite"], indirect=True)
async def test_sqlite_full_text_rows_follow_the_bookmarks_exactly(
    catalog_uow_factory: CatalogUnitOfWorkFactory, catalog_engine: AsyncEngine
) -> None:
    [owner] = await saved_users(catalog_uow_factory)
    library = [a_bookmark(owner, title=f"title {n}", notes="notes") for n in range(30)]
    await _seed(catalog_uow_factory, *library)
    async with committing(catalog_uow_factory) as uow:
        for bookmark in library[:10]:
            bookmark.apply(BookmarkChanges(title="edited", notes=""), at(1))
            assert await uow.bookmarks.update(bookmark, expected_version=1)
            await uow.search.index_page_text(bookmark.id, "page text " * 50)
        for bookmark in library[5:15]:
            await uow.bookmarks.delete(bookmark.id)

    async with catalog_engine.connect() as connection:
        await connection.exec_driver_sql(
            "INSERT INTO bookmarks_fts (bookmarks_fts) VALUES ('integrity-check')"
        )
        counts = [
            (await connection.exec_driver_sql(f"SELECT count(*) FROM {name}")).scalar_one()
            for name in ("bookmarks", "bookmarks_fts_keys", "bookmarks_fts_docsize")
        ]
    assert counts == [20, 20, 20]
    assert await _titles(catalog_uow_factory, owner, "edited") == {"edited"}
    assert len((await _search(catalog_uow_factory, owner, '"page text"')).items) == 5


# --- filters --------------------------------------------------------------------------------


async def test_tags_are_required_or_excluded(catalog_uow_factory: CatalogUnitOfWorkFactory) -> None:
    [owner] = await saved_users(catalog_uow_factory)
    await _seed(
        catalog_uow_factory,
        a_bookmark(owner, title="both", tags=("python", "web")),
        a_bookmark(owner, title="python", tags=("python",)),
        a_bookmark(owner, title="none"),
    )
    f = catalog_uow_factory
    assert await _titles(f, owner, "#python") == {"both", "python"}
    assert await _titles(f, owner, "#PYTHON #web") == {"both"}
    assert await _titles(f, owner, "#python -#web") == {"python"}
    assert await _titles(f, owner, "-#python") == {"none"}
    assert await _titles(f, owner, "#missing") == set()


async def test_site_matches_the_host_and_its_subdomains_only(
    catalog_uow_factory: CatalogUnitOfWorkFactory,
) -> None:
    [owner] = await saved_users(catalog_uow_factory)
    urls = {
        "apex": "https://example.com/",
        "sub": "https://docs.Example.com/guide",
        "port": "http://api.example.com:8080/v1",
        "lookalike": "https://notexample.com/",
        "suffix": "https://example.com.evil.net/",
        "path": "https://evil.net/example.com/",
        "underscore": "https://example_com.net/",
        "wildcard": "https://x.exampleacom.net/",
        "other": "https://other.org/?u=example.com",
    }
    await _seed(catalog_uow_factory, *(a_bookmark(owner, url, title=t) for t, url in urls.items()))
    f = catalog_uow_factory
    assert await _titles(f, owner, "site:example.com") == {"apex", "sub", "port"}
    assert await _titles(f, owner, "site:https://EXAMPLE.com/x") == {"apex", "sub", "port"}
    assert await _titles(f, owner, "site:docs.example.com") == {"sub"}
    assert await _titles(f, owner, "site:com") == {"apex", "sub", "port", "lookalike"}
    assert await _titles(f, owner, "site:example.com -site:docs.example.com") == {"apex", "port"}
    assert await _titles(f, owner, "site:example.com site:other.org") == {
        "apex",
        "sub",
        "port",
        "other",
    }
    assert await _titles(f, owner, "site:example_com.net") == {"underscore"}
    assert await _titles(f, owner, "site:e%ample.com") == set()


async def test_flags_select_and_exclude(catalog_uow_factory: CatalogUnitOfWorkFactory) -> None:
    [owner] = await saved_users(catalog_uow_factory)
    await _seed(
        catalog_uow_factory,
        a_bookmark(owner, title="unread", unread=True),
        a_bookmark(owner, title="favorite", favorite=True),
        a_bookmark(owner, title="archived", archived=True),
        a_bookmark(owner, title="all", unread=True, favorite=True, archived=True),
    )
    f = catalog_uow_factory
    assert await _titles(f, owner, "is:unread") == {"unread", "all"}
    assert await _titles(f, owner, "-is:unread") == {"favorite", "archived"}
    assert await _titles(f, owner, "is:favorite") == {"favorite", "all"}
    assert await _titles(f, owner, "is:archived -is:favorite") == {"archived"}


async def test_before_and_after_compare_with_midnight_utc(
    catalog_uow_factory: CatalogUnitOfWorkFactory,
) -> None:
    [owner] = await saved_users(catalog_uow_factory)
    midnight = T0.replace(hour=0, minute=0, second=0, microsecond=0)  # 2025-03-01
    await _seed(
        catalog_uow_factory,
        a_bookmark(owner, title="day before", created_at=midnight - timedelta(microseconds=1)),
        a_bookmark(owner, title="at midnight", created_at=midnight),
        a_bookmark(owner, title="next day", created_at=midnight + timedelta(days=1)),
    )
    f = catalog_uow_factory
    assert await _titles(f, owner, "before:2025-03-01") == {"day before"}
    assert await _titles(f, owner, "after:2025-03-01") == {"at midnight", "next day"}
    assert await _titles(f, owner, "after:2025-03-01 before:2025-03-02") == {"at midnight"}


# --- scope ----------------------------------------------------------------------------------


async def test_a_search_never_leaves_its_scope(
    catalog_uow_factory: CatalogUnitOfWorkFactory,
) -> None:
    ann, bob = await saved_users(catalog_uow_factory, 2)
    shelf, other = a_collection(ann, "shelf"), a_collection(ann, "other")
    async with committing(catalog_uow_factory) as uow:
        await uow.collections.add(shelf)
        await uow.collections.add(other)
    await _seed(
        catalog_uow_factory,
        a_bookmark(ann, title="ann loose word"),
        a_bookmark(ann, title="ann shelf word", collection_id=shelf.id),
        a_bookmark(bob, title="bob shelf word", collection_id=shelf.id),
        a_bookmark(ann, title="ann other word", collection_id=other.id),
        a_bookmark(bob, title="bob loose word"),
    )
    f = catalog_uow_factory

    async def titles(scope: SearchScope, text: str = "word") -> set[str]:
        return {b.title for b in (await _search(f, None, text, scope=scope)).items}

    assert await titles(SearchScope(owner_id=bob.id)) == {"bob shelf word", "bob loose word"}
    assert await titles(SearchScope(collection_ids=(shelf.id,))) == {
        "ann shelf word",
        "bob shelf word",
    }
    assert await titles(SearchScope(owner_id=ann.id, collection_ids=(shelf.id, other.id))) == {
        "ann shelf word",
        "ann other word",
    }
    assert await titles(SearchScope(collection_ids=())) == set()
    assert await titles(SearchScope(collection_ids=(CollectionId(uuid.uuid4()),)), "") == set()
    empty = await _search(f, None, scope=SearchScope(collection_ids=()), with_total=True)
    assert empty == Page(items=(), next_cursor=None, total=0)


# --- sorts and pages --------------------------------------------------------------------------


def _library(owner: User) -> list[Bookmark]:
    """25 bookmarks with ties everywhere: equal times, equal titles, equal ranks."""
    titles = ["beta", "Alpha", "alpha", "", "Zed", "émile", "beta", "gamma", "delta"]
    library = []
    for n in range(25):
        title = titles[n % len(titles)]
        page = PageMetadata(title="fetched only" if not title else "")
        words = " ".join(["word"] * (1 + n % 4))
        library.append(
            a_bookmark(
                owner,
                f"https://example.com/{n:02}",
                title=title,
                page=page,
                description=words,
                created_at=at(n // 3),
            )
        )
    return library


async def _walk(
    factory: CatalogUnitOfWorkFactory,
    owner: User,
    sort: Sort,
    text: str,
    limit: int,
    scope: SearchScope | None = None,
) -> list[list[Bookmark]]:
    pages: list[list[Bookmark]] = []
    cursor: Cursor | None = None
    while True:
        request = SearchRequest(
            scope=scope or SearchScope(owner_id=owner.id),
            query=parse_query(text),
            sort=sort,
            limit=limit,
            cursor=cursor,
        )
        async with factory() as uow:
            page = await uow.search.search(request)
        pages.append(list(page.items))
        if page.next_cursor is None:
            return pages
        cursor = decode_cursor(page.next_cursor, request.effective_sort)


def _expected(library: list[Bookmark], sort: Sort) -> list[Bookmark]:
    if sort is Sort.NEWEST:
        return sorted(library, key=lambda b: (b.created_at, b.id), reverse=True)
    if sort is Sort.OLDEST:
        return sorted(library, key=lambda b: (b.created_at, b.id))
    return sorted(library, key=lambda b: ((b.title or b.page.title).casefold(), b.id))


@pytest.mark.parametrize("sort", [Sort.NEWEST, Sort.OLDEST, Sort.TITLE])
async def test_keyset_pages_walk_every_sort_without_gaps_or_repeats(
    catalog_uow_factory: CatalogUnitOfWorkFactory, sort: Sort
) -> None:
    [owner] = await saved_users(catalog_uow_factory)
    library = _library(owner)
    await _seed(catalog_uow_factory, *library)

    pages = await _walk(catalog_uow_factory, owner, sort, "", 7)
    assert [len(page) for page in pages] == [7, 7, 7, 4]
    assert [b.id for page in pages for b in page] == [b.id for b in _expected(library, sort)]


@pytest.mark.parametrize("sort", list(Sort))
async def test_pages_over_several_collections_walk_every_sort_as_one_list(
    catalog_uow_factory: CatalogUnitOfWorkFactory, sort: Sort
) -> None:
    """PostgreSQL pages several collections by merging each one's first rows
    (SqlBookmarkSearch._merged_page); the pages are the same as one list's."""
    [owner] = await saved_users(catalog_uow_factory)
    shelves = [a_collection(owner, f"shelf {n}") for n in range(3)]
    async with committing(catalog_uow_factory) as uow:
        for shelf in shelves:
            await uow.collections.add(shelf)
    library = [
        msgspec.structs.replace(bookmark, collection_id=shelves[n % 3].id)
        for n, bookmark in enumerate(_library(owner))
    ]
    await _seed(catalog_uow_factory, *library, a_bookmark(owner, title="in no collection"))
    scope = SearchScope(collection_ids=tuple(shelf.id for shelf in shelves))

    text = "word" if sort is Sort.RELEVANCE else ""
    pages = await _walk(catalog_uow_factory, owner, sort, text, 7, scope)
    assert [len(page) for page in pages] == [7, 7, 7, 4]
    walked = [b.id for page in pages for b in page]
    if sort is Sort.RELEVANCE:  # the owner's walk: every match is in a shelf
        expected = await _walk(catalog_uow_factory, owner, sort, text, 7)
        assert walked == [b.id for page in expected for b in page]
    else:
        assert walked == [b.id for b in _expected(library, sort)]


async def test_relevance_pages_walk_the_matches_best_first(
    catalog_uow_factory: CatalogUnitOfWorkFactory,
) -> None:
    [owner] = await saved_users(catalog_uow_factory)
    library = _library(owner)
    await _seed(catalog_uow_factory, *library, a_bookmark(owner, title="unrelated"))

    pages = await _walk(catalog_uow_factory, owner, Sort.RELEVANCE, "word", 7)
    walked = [b for page in pages for b in page]
    [single] = await _walk(catalog_uow_factory, owner, Sort.RELEVANCE, "word", 100)
    assert [b.id for b in walked] == [b.id for b in single]
    assert sorted(b.id for b in walked) == sorted(b.id for b in library)
    counts = [b.description.count("word") for b in walked]
    assert counts == sorted(counts, reverse=True)  # more occurrences, higher rank


async def test_a_match_in_the_title_and_text_outranks_a_single_mention(
    catalog_uow_factory: CatalogUnitOfWorkFactory,
) -> None:
    [owner] = await saved_users(catalog_uow_factory)
    strong = a_bookmark(owner, title="Kayak trips", description="a kayak and another kayak")
    weak = a_bookmark(owner, title="Boats", notes="once a kayak")
    await _seed(catalog_uow_factory, weak, strong, a_bookmark(owner, title="Cars"))

    page = await _search(catalog_uow_factory, owner, "kayak", sort=Sort.RELEVANCE)
    assert [b.title for b in page.items] == ["Kayak trips", "Boats"]


async def test_relevance_without_words_lists_the_newest_first(
    catalog_uow_factory: CatalogUnitOfWorkFactory,
) -> None:
    [owner] = await saved_users(catalog_uow_factory)
    library = _library(owner)
    await _seed(catalog_uow_factory, *library)

    pages = await _walk(catalog_uow_factory, owner, Sort.RELEVANCE, "#nothing -word", 7)
    assert pages == [[]]
    pages = await _walk(catalog_uow_factory, owner, Sort.RELEVANCE, "-nothing", 7)
    walked = [b.id for page in pages for b in page]
    assert walked == [b.id for b in _expected(library, Sort.NEWEST)]


async def test_word_less_text_in_a_relevance_search_ties_every_candidate(
    catalog_uow_factory: CatalogUnitOfWorkFactory,
) -> None:
    [owner] = await saved_users(catalog_uow_factory)
    library = _library(owner)
    await _seed(catalog_uow_factory, *library)

    pages = await _walk(catalog_uow_factory, owner, Sort.RELEVANCE, "!!!", 7)
    assert [b.id for page in pages for b in page] == sorted((b.id for b in library), reverse=True)


async def test_total_counts_every_match_not_just_the_page(
    catalog_uow_factory: CatalogUnitOfWorkFactory,
) -> None:
    [owner] = await saved_users(catalog_uow_factory)
    await _seed(catalog_uow_factory, *_library(owner))
    f = catalog_uow_factory
    for text, total in (("", 25), ("word", 25), ("is:unread", 0), ("alpha", 6)):
        page = await _search(f, owner, text, limit=2, with_total=True, sort=Sort.RELEVANCE)
        assert (len(page.items), page.total) == (min(2, total), total)
    assert (await _search(f, owner, "", limit=2)).total is None


async def test_cursors_of_another_sort_or_malformed_are_refused(
    catalog_uow_factory: CatalogUnitOfWorkFactory,
) -> None:
    [owner] = await saved_users(catalog_uow_factory)
    valid_id = str(uuid.uuid4())
    bad = [
        (Sort.NEWEST, Cursor(sort=Sort.TITLE, key="a", id=valid_id)),
        (Sort.NEWEST, Cursor(sort=Sort.NEWEST, key="text", id=valid_id)),
        (Sort.NEWEST, Cursor(sort=Sort.NEWEST, key=1.5, id=valid_id)),
        (Sort.NEWEST, Cursor(sort=Sort.NEWEST, key=10**30, id=valid_id)),
        (Sort.OLDEST, Cursor(sort=Sort.OLDEST, key=0, id="not a uuid")),
        (Sort.TITLE, Cursor(sort=Sort.TITLE, key=3, id=valid_id)),
        (Sort.TITLE, Cursor(sort=Sort.TITLE, key="nul\x00", id=valid_id)),
    ]
    for sort, cursor in bad:
        with pytest.raises(InvalidInput):
            await _search(catalog_uow_factory, owner, sort=sort, cursor=cursor)


# --- statements per page (P5) ---------------------------------------------------------------


@contextmanager
def _counting(engine: AsyncEngine) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)


@pytest.mark.parametrize(
    ("text", "sort"),
    [
        ("", Sort.NEWEST),
        ("word -nothing #tagged", Sort.RELEVANCE),
        ("site:example.com", Sort.TITLE),
    ],
)
async def test_a_page_of_a_hundred_with_tags_costs_one_statement(
    catalog_uow_factory: CatalogUnitOfWorkFactory,
    catalog_engine: AsyncEngine,
    text: str,
    sort: Sort,
) -> None:
    [owner] = await saved_users(catalog_uow_factory)
    library = [
        a_bookmark(owner, title=f"word {n}", tags=("tagged", f"t{n}"), created_at=at(n))
        for n in range(150)
    ]
    await _seed(catalog_uow_factory, *library)
    request = SearchRequest(
        scope=SearchScope(owner_id=owner.id), query=parse_query(text), sort=sort, limit=100
    )
    async with catalog_uow_factory() as uow:
        await uow.search.search(request)  # warm the connection up
        with _counting(catalog_engine) as statements:
            page = await uow.search.search(request)
        with _counting(catalog_engine) as with_total:
            await uow.search.search(msgspec.structs.replace(request, with_total=True))

    assert len(page.items) == 100
    assert all(len(b.tags) == 2 for b in page.items)
    assert len(statements) == 1
    assert len(with_total) == 2


# --- any input (S17) ------------------------------------------------------------------------

_TEXTS = st.lists(st.text(max_size=30), max_size=4).map(tuple)


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    query=st.builds(
        SearchQuery,
        words=_TEXTS,
        phrases=_TEXTS,
        excluded_words=_TEXTS,
        tags=_TEXTS,
        excluded_tags=_TEXTS,
        sites=_TEXTS,
        excluded_sites=_TEXTS,
        unread=st.none() | st.booleans(),
        before=st.none() | st.dates(),
        after=st.none() | st.dates(),
    ),
    text=st.text(max_size=200),
    sort=st.sampled_from(Sort),
    cursor=st.none()
    | st.builds(
        Cursor,
        sort=st.sampled_from(Sort),
        key=st.integers() | st.floats() | st.text(max_size=20),
        id=st.uuids().map(str) | st.text(max_size=40),
    ),
)
async def test_any_query_searches_without_error(
    catalog_uow_factory: CatalogUnitOfWorkFactory,
    query: SearchQuery,
    text: str,
    sort: Sort,
    cursor: Cursor | None,
) -> None:
    [owner] = await saved_users(catalog_uow_factory)
    await _seed(
        catalog_uow_factory,
        a_bookmark(owner, title='a "quoted" title\'s words', tags=("x",), created_at=T0),
        a_bookmark(owner, "https://sub.example.com/p?q=1", notes="NOT AND OR * ^ -", unread=True),
    )
    scope = SearchScope(owner_id=owner.id)
    for q in (query, parse_query(text)):
        request = SearchRequest(scope=scope, query=q, sort=sort, limit=5, with_total=True)
        async with catalog_uow_factory() as uow:
            page = await uow.search.search(request)
            assert page.total is not None
            assert len(page.items) <= min(page.total, 5)
            try:
                await uow.search.search(msgspec.structs.replace(request, cursor=cursor))
            except InvalidInput:
                assert cursor is not None
