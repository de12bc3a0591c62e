"""Indexes, proven: the hot catalog queries reach `bookmarks` through indexes on PostgreSQL.

Each test runs one query through the real SQL adapter over a realistic catalog
(`_plan_dataset.py`: 200,000 bookmarks, 100,000 of them one user's, ~480,000 tags), records
the exact SQL and parameters the adapter sends (a `before_cursor_execute` listener on the
engine), and EXPLAINs every statement on the same connection, twice:

- with the recorded values: the custom plan the first executions of a statement get;
- as the generic plan (PREPARE, then EXPLAIN EXECUTE under `plan_cache_mode =
  force_generic_plan`): asyncpg prepares every statement and SQLAlchemy caches it per
  connection, and from the sixth execution on PostgreSQL may run the generic plan instead.

A sequential scan of `bookmarks` or `bookmark_tags` anywhere in either plan (subplans
included) fails the test; the message holds the statement and the whole plan. What is
asserted is the plan's shape, never a time. Each plan's top node, estimated cost and scans
go to the report's "query plans (EXPLAIN)" section (tests/contract/conftest.py).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from project.adapters.sql import create_engine, upgrade_async
from project.adapters.sql.bookmarks import BATCH_SIZE, SqlBookmarkRepository
from project.adapters.sql.collections import SqlMembershipRepository
from project.adapters.sql.search import SqlBookmarkSearch
from project.adapters.sql.tags import SqlTagRepository
from project.domain.model.bookmarks import Bookmark
from project.domain.model.errors import DuplicateBookmark
from project.domain.model.ids import BookmarkId, CollectionId, UserId
from project.domain.model.pages import DEFAULT_PAGE_SIZE, Sort, decode_cursor
from project.domain.model.query import parse_query
from project.domain.model.search import SearchRequest, SearchScope
from tests.conftest import create_database, drop_database
from tests.contract._plan_dataset import COMMON_WORDS, PlanDataset, fill

# One dataset per worker that runs these: with `--dist loadgroup` xdist keeps them on one.
pytestmark = [pytest.mark.postgres, pytest.mark.xdist_group("query_plans")]

BIG_TABLES = frozenset({"bookmarks", "bookmark_tags"})
PLAN_PROPERTY = "query plan"  # the user property tests/conftest.py reports
_WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class Probe:
    """What the queries ask for, taken from the generated rows."""

    dataset: PlanDataset
    owner: UserId  # the user with 100,000 bookmarks
    member: UserId  # a viewer of the owner's collections (and of another user's)
    collection: CollectionId  # one of the owner's collections
    list_tag: str  # a tag on ~1% of the owner's bookmarks
    search: str  # 3 words and 1 tag taken from one of the owner's bookmarks (P3's shape)
    url: str  # the canonical URL of one of the owner's bookmarks
    import_batch: list[str]  # BATCH_SIZE canonical URLs of the owner's


@pytest.fixture(scope="module")
async def plan_dataset(postgres_admin_url: URL) -> AsyncIterator[PlanDataset]:
    url = await create_database(postgres_admin_url)
    try:
        await upgrade_async(url)
        yield await fill(url)
    finally:
        await drop_database(postgres_admin_url, url)


class StatementLog:
    """The (statement, parameters) pairs the engine sends to the driver while recording."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.entries: list[tuple[str, tuple[Any, ...]]] = []
        self.recording = False
        event.listen(engine.sync_engine, "before_cursor_execute", self._record)

    def _record(
        self,
        _connection: Any,
        _cursor: Any,
        statement: str,
        parameters: Any,
        _context: Any,
        executemany: bool,
    ) -> None:
        if self.recording and not executemany:
            self.entries.append((statement, tuple(parameters or ())))

    async def capture(self, work: Awaitable[object]) -> list[tuple[str, tuple[Any, ...]]]:
        self.entries = []
        self.recording = True
        try:
            await work
        finally:
            self.recording = False
        return self.entries


@pytest.fixture(scope="module")
async def plan_engine(plan_dataset: PlanDataset) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(plan_dataset.url)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="module")
def statement_log(plan_engine: AsyncEngine) -> StatementLog:
    return StatementLog(plan_engine)


@pytest.fixture(scope="module")
async def probe(plan_dataset: PlanDataset, plan_engine: AsyncEngine) -> Probe:
    owner = plan_dataset.big_user
    async with plan_engine.connect() as connection:
        list_tag = (
            await connection.execute(
                text(
                    "SELECT name FROM bookmark_tags WHERE owner_id = :owner GROUP BY name"
                    " ORDER BY abs(count(*) - :target), name LIMIT 1"
                ),
                {"owner": owner, "target": plan_dataset.counts["big_user"] // 100},
            )
        ).scalar_one()
        urls = (
            await connection.execute(
                text(
                    "SELECT canonical_url FROM bookmarks WHERE owner_id = :owner"
                    " ORDER BY canonical_hash LIMIT :count"
                ),
                {"owner": owner, "count": BATCH_SIZE + 1},
            )
        ).scalars()
        url, *import_batch = urls
        search = await _search_from_a_bookmark(connection, plan_dataset)
    return Probe(
        dataset=plan_dataset,
        owner=UserId(owner),
        member=UserId(plan_dataset.users[1]),
        collection=CollectionId(plan_dataset.collections[0]),
        list_tag=list_tag,
        search=search,
        url=url,
        import_batch=import_batch,
    )


async def _search_from_a_bookmark(connection: AsyncConnection, dataset: PlanDataset) -> str:
    """As benchmarks/_dataset.py's search queries: 3 of a bookmark's 5 most frequent words
    (not among the most common of all) and one of its tags, so the search matches."""
    rank = {word: index for index, word in enumerate(dataset.words)}
    rows = await connection.execute(
        text(
            "SELECT b.title || ' ' || b.description AS text,"
            " (SELECT min(name) FROM bookmark_tags AS t WHERE t.bookmark_id = b.id) AS tag"
            " FROM bookmarks AS b WHERE b.owner_id = :owner ORDER BY b.canonical_hash LIMIT 500"
        ),
        {"owner": dataset.big_user},
    )
    for row in rows:
        words = sorted(
            {w for w in _WORD.findall(row.text) if rank.get(w, 0) >= COMMON_WORDS},
            key=rank.__getitem__,
        )[:5]
        if len(words) == 5 and row.tag:
            return f"{words[0]} {words[2]} {words[4]} #{row.tag}"
    raise AssertionError("no bookmark has 5 uncommon words and a tag: regenerate the data")


# --- the queries, through the real adapters -------------------------------------------------


def _owners(probe: Probe, q: str = "", sort: Sort = Sort.NEWEST) -> SearchRequest:
    return SearchRequest(
        scope=SearchScope(owner_id=probe.owner),
        query=parse_query(q),
        sort=sort,
        limit=DEFAULT_PAGE_SIZE,
    )


async def _first_list_page(connection: AsyncConnection, probe: Probe) -> None:
    await SqlBookmarkSearch(connection).search(_owners(probe))


async def _next_list_page(connection: AsyncConnection, probe: Probe) -> None:
    """Only the second page's statement is explained (the first one is recorded too)."""
    search = SqlBookmarkSearch(connection)
    first = await search.search(_owners(probe))
    assert first.next_cursor is not None
    request = _owners(probe)
    cursor = decode_cursor(first.next_cursor, Sort.NEWEST)
    await search.search(
        SearchRequest(scope=request.scope, query=request.query, limit=request.limit, cursor=cursor)
    )


async def _tag_list_page(connection: AsyncConnection, probe: Probe) -> None:
    await SqlBookmarkSearch(connection).search(_owners(probe, f"#{probe.list_tag}"))


async def _search_newest_first(connection: AsyncConnection, probe: Probe) -> None:
    page = await SqlBookmarkSearch(connection).search(_owners(probe, probe.search))
    assert page.items, f"the search {probe.search!r} found nothing: the data is not as expected"


async def _search_by_relevance(connection: AsyncConnection, probe: Probe) -> None:
    request = _owners(probe, probe.search, Sort.RELEVANCE)
    page = await SqlBookmarkSearch(connection).search(request)
    assert page.items, f"the search {probe.search!r} found nothing: the data is not as expected"


async def _tag_counts(connection: AsyncConnection, probe: Probe) -> None:
    await SqlTagRepository(connection).counts(probe.owner)


async def _check_url(connection: AsyncConnection, probe: Probe) -> None:
    """What POST /api/v1/bookmarks/check runs (BookmarkService.check_url)."""
    found = await SqlBookmarkRepository(connection).find_by_canonical_url(probe.owner, probe.url)
    assert found is not None


async def _save_a_duplicate(connection: AsyncConnection, probe: Probe) -> None:
    """Saving a link already saved: the insert that skips a taken URL, then the lookup of
    the bookmark that holds it (rolled back by the test)."""
    now = datetime.now(UTC)
    bookmark = Bookmark.create(
        id=BookmarkId(uuid.uuid4()), owner_id=probe.owner, url=probe.url, at=now, tags=["x"]
    )
    with pytest.raises(DuplicateBookmark):
        await SqlBookmarkRepository(connection).add(bookmark)


async def _import_lookup(connection: AsyncConnection, probe: Probe) -> None:
    """An import batch's look-up of the URLs it found taken (ImportService)."""
    found = await SqlBookmarkRepository(connection).find_by_canonical_urls(
        probe.owner, probe.import_batch
    )
    assert len(found) == len(probe.import_batch)


async def _shared_with_me(connection: AsyncConnection, probe: Probe) -> None:
    """SearchService.shared_with_me: the caller's memberships, then their bookmarks."""
    member_of = await SqlMembershipRepository(connection).collections_of(probe.member)
    assert member_of
    request = SearchRequest(scope=SearchScope(collection_ids=tuple(member_of)))
    await SqlBookmarkSearch(connection).search(request)


async def _collection_page(connection: AsyncConnection, probe: Probe) -> None:
    request = SearchRequest(scope=SearchScope(collection_ids=(probe.collection,)))
    page = await SqlBookmarkSearch(connection).search(request)
    assert page.next_cursor is not None


# --- the tests ------------------------------------------------------------------------------


async def test_the_first_list_page_uses_an_index_not_a_scan_of_bookmarks(
    plan_check: PlanCheck,
) -> None:
    await plan_check("the first list page (newest first)", _first_list_page)


async def test_the_next_list_page_resumes_after_its_cursor_through_an_index(
    plan_check: PlanCheck,
) -> None:
    await plan_check("the next list page (cursor)", _next_list_page, only_last=True)


async def test_a_list_filtered_by_a_tag_uses_indexes_not_a_scan(plan_check: PlanCheck) -> None:
    await plan_check("a list filtered by a tag", _tag_list_page)


async def test_a_search_of_three_words_and_a_tag_uses_indexes_not_a_scan(
    plan_check: PlanCheck,
) -> None:
    await plan_check("a search, 3 words + 1 tag (newest first)", _search_newest_first)


async def test_a_search_by_relevance_uses_indexes_not_a_scan(plan_check: PlanCheck) -> None:
    await plan_check("a search, 3 words + 1 tag (relevance)", _search_by_relevance)


async def test_the_tag_counts_read_the_owners_index_not_every_tag(plan_check: PlanCheck) -> None:
    await plan_check("the tag counts of a user", _tag_counts)


async def test_checking_a_url_finds_it_through_the_unique_index(plan_check: PlanCheck) -> None:
    await plan_check("checking a URL (POST /bookmarks/check)", _check_url)


async def test_saving_a_duplicate_finds_the_saved_bookmark_through_an_index(
    plan_check: PlanCheck,
) -> None:
    await plan_check("saving a duplicate link", _save_a_duplicate)


async def test_an_import_batch_looks_its_urls_up_through_the_unique_index(
    plan_check: PlanCheck,
) -> None:
    await plan_check("an import batch's URL lookup (1,000 URLs)", _import_lookup)


async def test_the_shared_with_me_list_reaches_bookmarks_through_the_collection_index(
    plan_check: PlanCheck,
) -> None:
    await plan_check("bookmarks shared with me (by membership)", _shared_with_me)


async def test_a_collection_page_uses_the_collection_index(plan_check: PlanCheck) -> None:
    await plan_check("a collection's page", _collection_page)


# --- running and judging the plans ----------------------------------------------------------

Run = Callable[[AsyncConnection, Probe], Awaitable[None]]


class PlanCheck:
    """Run a query through its adapter, EXPLAIN what it sent, fail on a sequential scan."""

    def __init__(
        self, engine: AsyncEngine, log: StatementLog, probe: Probe, request: pytest.FixtureRequest
    ) -> None:
        self._engine = engine
        self._log = log
        self._probe = probe
        self._request = request

    async def __call__(self, title: str, run: Run, *, only_last: bool = False) -> None:
        failures: list[str] = []
        async with self._engine.connect() as connection:
            statements = await self._log.capture(run(connection, self._probe))
            assert statements, f"{title}: the adapter sent no statement"
            if only_last:
                statements = statements[-1:]
            for number, (statement, parameters) in enumerate(statements, 1):
                label = title if len(statements) == 1 else f"{title}, statement {number}"
                for mode, explain in (("custom", _custom_plan), ("generic", _generic_plan)):
                    plan = await explain(connection, statement, parameters)
                    self._report(f"{label} [{mode}]: {_summary(plan)}")
                    scans = _sequential_scans(plan)
                    if scans:
                        failures.append(
                            f"{label}: the {mode} plan scans {', '.join(scans)} sequentially\n"
                            f"{statement}\nparameters: {parameters!r}\n" + "\n".join(_render(plan))
                        )
            await connection.rollback()
        assert not failures, f"{self._probe.dataset.describe()}\n\n" + "\n\n".join(failures)

    def _report(self, line: str) -> None:
        self._request.node.user_properties.append((PLAN_PROPERTY, line))


@pytest.fixture
def plan_check(
    plan_engine: AsyncEngine,
    statement_log: StatementLog,
    probe: Probe,
    request: pytest.FixtureRequest,
) -> PlanCheck:
    request.node.user_properties.append((PLAN_PROPERTY, f"data: {probe.dataset.describe()}"))
    return PlanCheck(plan_engine, statement_log, probe, request)


async def _custom_plan(
    connection: AsyncConnection, statement: str, parameters: tuple[Any, ...]
) -> dict[str, Any]:
    result = await connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", parameters)
    return _plan_of(result.scalar_one())


async def _generic_plan(
    connection: AsyncConnection, statement: str, parameters: tuple[Any, ...]
) -> dict[str, Any]:
    """The plan a cached prepared statement may switch to: it knows the types, not values."""
    await connection.exec_driver_sql("SET plan_cache_mode = force_generic_plan")
    await connection.exec_driver_sql(f"PREPARE plan_check AS {statement}")
    try:
        arguments = f"({', '.join('NULL' for _ in parameters)})" if parameters else ""
        result = await connection.exec_driver_sql(
            f"EXPLAIN (FORMAT JSON) EXECUTE plan_check{arguments}"
        )
        return _plan_of(result.scalar_one())
    finally:
        await connection.exec_driver_sql("DEALLOCATE plan_check")
        await connection.exec_driver_sql("RESET plan_cache_mode")


def _plan_of(explained: Any) -> dict[str, Any]:
    document = json.loads(explained) if isinstance(explained, str) else explained
    plan: dict[str, Any] = document[0]["Plan"]
    return plan


def _nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", ()):
        yield from _nodes(child)


def _sequential_scans(plan: dict[str, Any]) -> list[str]:
    return [
        node["Relation Name"]
        for node in _nodes(plan)
        if node["Node Type"] == "Seq Scan" and node.get("Relation Name") in BIG_TABLES
    ]


def _scan(node: dict[str, Any]) -> str:
    name = ("Parallel " if node.get("Parallel Aware") else "") + node["Node Type"]
    if "Index Name" in node:
        name += f" using {node['Index Name']}"
    if "Relation Name" in node:
        name += f" on {node['Relation Name']}"
    return name


def _summary(plan: dict[str, Any]) -> str:
    """The top node, its estimated cost, and how every table is reached."""
    reached = [_scan(node) for node in _nodes(plan) if "Scan" in node["Node Type"]]
    reached += [
        f"conflicts checked on {', '.join(node['Conflict Arbiter Indexes'])}"
        for node in _nodes(plan)
        if node.get("Conflict Arbiter Indexes")
    ]
    return f"{plan['Node Type']} cost={plan['Total Cost']:.0f} | " + "; ".join(reached)


_DETAILS = (
    "Index Cond",
    "Recheck Cond",
    "Filter",
    "Hash Cond",
    "Merge Cond",
    "Join Filter",
    "Sort Key",
    "Group Key",
)


def _render(plan: dict[str, Any], depth: int = 0) -> list[str]:
    """The plan as indented text, close to EXPLAIN's own."""
    indent = "  " * depth
    role = f"{plan['Subplan Name']}: " if "Subplan Name" in plan else ""
    lines = [
        f"{indent}-> {role}{_scan(plan)}  (cost={plan['Startup Cost']:.2f}.."
        f"{plan['Total Cost']:.2f} rows={plan['Plan Rows']})"
    ]
    for key in (key for key in _DETAILS if key in plan):
        value = plan[key]
        lines.append(
            f"{indent}     {key}: {', '.join(value) if isinstance(value, list) else value}"
        )
    for child in plan.get("Plans", ()):
        lines += _render(child, depth + 1)
    return lines
