"""P5: the SQL statements a list page costs do not grow with the page (no N+1), counted.

A listener on the app's engine (`before_cursor_execute` on the sync engine under the async
one) records every statement while the app serves one request. The AsyncTestClient runs the
app on its own thread and loop; the listener fires on that thread, so it appends under a lock,
and it records only between the start and the end of the measured request. Each request is
made once before it is measured, so connecting (PRAGMAs, PostgreSQL's first-connect queries)
is never counted, and nothing runs in the background here (no import is submitted, archiving
on save is off).

Authentication reads the user and the session: `GET /api/user/profile` touches nothing else,
so its count is the baseline every other count is compared with.

Measured (both backends give the same numbers), total statements per request, with 5 and with
100 bookmarks (`limit=100`, 3 tags on each; 7 then 102 distinct tags):
- authentication alone (`/api/user/profile`): 2 (user, session)
- `GET /api/v1/bookmarks`: 3 (auth + the page with its tags aggregated)
- `GET /api/v1/bookmarks?q=alpha beta #common`: 3
- `GET /api/v1/collections/{id}/bookmarks` as the owner: 4 (+ the collection); as a
  viewer: 5 (+ the collection, the membership)
- `GET /api/bookmarks` (linkding, which counts the total): 4 (+ the page, the count)
- `GET /api/v1/tags`: 3 (+ one GROUP BY)
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import msgspec
import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import event
from sqlalchemy.engine import Engine

from project.entrypoints.settings import Settings
from tests.e2e._http_kit import Client, Login, make_app, signup

BOOKMARKS = "/api/v1/bookmarks"
COLLECTIONS = "/api/v1/collections"
MAX_BEYOND_AUTH = 3  # P5
SMALL, LARGE = 5, 100


class StatementCounter:
    """Records the SQL the app runs, from whichever thread runs it, while `recording`."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._lock = threading.Lock()
        self._recording = False
        self._statements: list[str] = []

    def _on_execute(self, *args: Any) -> None:
        statement = args[2]
        with self._lock:
            if self._recording:
                self._statements.append(statement)

    @contextmanager
    def listening(self) -> Iterator[StatementCounter]:
        event.listen(self._engine, "before_cursor_execute", self._on_execute)
        try:
            yield self
        finally:
            event.remove(self._engine, "before_cursor_execute", self._on_execute)

    async def measure(
        self, client: Client, path: str, who: Login, *, warm_first: bool = True, **params: Any
    ) -> tuple[httpx.Response, list[str]]:
        """One request, counted; the same request is made once before, uncounted (unless
        `warm_first` is False: then what the first request after a write costs is counted)."""
        if warm_first:
            warm = await client.get(path, params=params, headers=who.headers)
            assert warm.status_code == 200, warm.text
        with self._lock:
            self._statements = []
            self._recording = True
        try:
            response = await client.get(path, params=params, headers=who.headers)
        finally:
            with self._lock:
                self._recording = False
                statements = list(self._statements)
        assert response.status_code == 200, response.text
        return response, statements


@pytest.fixture
def app_settings(app_settings: Settings) -> Settings:
    """The conftest's settings without archiving on save: no job may run in the background
    while a request is counted."""
    return Settings(
        env=app_settings.env,
        data_dir=app_settings.data_dir,
        database_url=app_settings.database_url,
        archive_on_save=False,
    ).resolve()


@pytest.fixture
def counter(client: Client) -> Iterator[StatementCounter]:
    engine: Engine = client.app.state.project.container.engine().sync_engine
    with StatementCounter(engine).listening() as counting:
        yield counting


async def _save(client: Client, who: Login, i: int, collection_id: str) -> None:
    response = await client.post(
        BOOKMARKS,
        json={
            "url": f"https://example.com/page/{i}",
            "title": f"Alpha beta {i}",
            "description": "gamma",
            "tags": ["common", "extra", f"tag-{i}"],
            "collection_id": collection_id,
        },
        headers=who.headers,
    )
    assert response.status_code == 201, response.text


def _listed(response: httpx.Response) -> int:
    body = response.json()
    return len(body["results"] if "results" in body else body["items"])


async def _measure_all(
    client: Client, counter: StatementCounter, ann: Login, bob: Login, cid: str
) -> dict[str, tuple[int, int]]:
    """name -> (statements, rows listed) for every list page under test."""
    pages: dict[str, tuple[str, Login, dict[str, Any]]] = {
        "bookmarks": (BOOKMARKS, ann, {"limit": LARGE}),
        "search": (BOOKMARKS, ann, {"limit": LARGE, "q": "alpha beta #common"}),
        "collection (owner)": (f"{COLLECTIONS}/{cid}/bookmarks", ann, {"limit": LARGE}),
        "collection (viewer)": (f"{COLLECTIONS}/{cid}/bookmarks", bob, {"limit": LARGE}),
        "linkding": ("/api/bookmarks", ann, {"limit": LARGE}),
        "tags": ("/api/v1/tags", ann, {}),
    }
    counts = {}
    for name, (path, who, params) in pages.items():
        response, statements = await counter.measure(client, path, who, **params)
        counts[name] = (len(statements), _listed(response))
    return counts


async def test_list_pages_cost_the_same_statements_for_5_and_100_bookmarks_P5(
    client: Client, counter: StatementCounter, backend: str
) -> None:
    ann = await signup(client, "ann@example.com")
    bob = await signup(client, "bob@example.com")
    created = await client.post(COLLECTIONS, json={"name": "All"}, headers=ann.headers)
    cid = created.json()["id"]
    shared = await client.put(
        f"{COLLECTIONS}/{cid}/members",
        json={"email": bob.email, "role": "viewer"},
        headers=ann.headers,
    )
    assert shared.status_code == 200, shared.text

    _, auth_statements = await counter.measure(client, "/api/user/profile", ann)
    auth = len(auth_statements)
    assert auth == 2, f"authentication should read the user and the session: {auth_statements}"

    for i in range(SMALL):
        await _save(client, ann, i, cid)
    small = await _measure_all(client, counter, ann, bob, cid)
    for i in range(SMALL, LARGE):
        await _save(client, ann, i, cid)
    large = await _measure_all(client, counter, ann, bob, cid)

    report = ", ".join(
        f"{name}: {small[name][0]} -> {large[name][0]} statements "
        f"({small[name][1]} -> {large[name][1]} rows)"
        for name in small
    )
    print(f"\nP5 on {backend}, authentication = {auth} statements; {report}")
    for name in small:
        (few, few_rows), (many, many_rows) = small[name], large[name]
        if name == "tags":
            assert (few_rows, many_rows) == (2 + SMALL, 2 + LARGE), report
        else:
            assert (few_rows, many_rows) == (SMALL, LARGE), report
        assert few == many, f"{name} grows with the page: {report}"
        assert many - auth <= MAX_BEYOND_AUTH, f"{name}: {many - auth} beyond auth; {report}"


# --- with the read cache warm (docs/performance.md, "Caching") --------------------------------

# Statements per request once the cache holds the request's reads: authentication, first
# pages of one's own bookmarks (linkding's count included) and tag counts come from the
# cache; a collection's page still reads the database (its access decision is cached).
WARM = {
    "bookmarks": 0,
    "search": 0,
    "collection (owner)": 1,
    "collection (viewer)": 1,
    "linkding": 0,
    "tags": 0,
}


@pytest.fixture
async def cached_client(app_settings: Settings) -> AsyncIterator[Client]:
    settings = msgspec.structs.replace(app_settings, read_cache=True)
    async with AsyncTestClient(app=make_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def cached_counter(cached_client: Client) -> Iterator[StatementCounter]:
    engine: Engine = cached_client.app.state.project.container.engine().sync_engine
    with StatementCounter(engine).listening() as counting:
        yield counting


async def test_with_the_cache_warm_list_pages_cost_no_statement_beyond_their_own_P5(
    cached_client: Client, cached_counter: StatementCounter, backend: str
) -> None:
    client, counter = cached_client, cached_counter
    ann = await signup(client, "ann@example.com")
    bob = await signup(client, "bob@example.com")
    cid = (await client.post(COLLECTIONS, json={"name": "All"}, headers=ann.headers)).json()["id"]
    shared = await client.put(
        f"{COLLECTIONS}/{cid}/members",
        json={"email": bob.email, "role": "viewer"},
        headers=ann.headers,
    )
    assert shared.status_code == 200, shared.text
    for i in range(SMALL):
        await _save(client, ann, i, cid)

    _, auth_statements = await counter.measure(client, "/api/user/profile", ann)
    warm = await _measure_all(client, counter, ann, bob, cid)

    report = ", ".join(f"{name}: {count} statements" for name, (count, _) in warm.items())
    print(f"\nP5 warm on {backend}, authentication = {len(auth_statements)}; {report}")
    assert auth_statements == [], "a warm session check reads nothing"
    assert {name: count for name, (count, _) in warm.items()} == WARM, report
    assert all(rows == SMALL for name, (_, rows) in warm.items() if name != "tags"), report


async def test_with_the_cache_warm_a_write_costs_the_next_read_one_load_P5(
    cached_client: Client, cached_counter: StatementCounter
) -> None:
    client, counter = cached_client, cached_counter
    ann = await signup(client, "ann@example.com")
    cid = (await client.post(COLLECTIONS, json={"name": "All"}, headers=ann.headers)).json()["id"]
    await _save(client, ann, 0, cid)
    await counter.measure(client, BOOKMARKS, ann)

    await _save(client, ann, 1, cid)
    after_write, loaded = await counter.measure(client, BOOKMARKS, ann, warm_first=False)
    again, cached = await counter.measure(client, BOOKMARKS, ann, warm_first=False)

    assert _listed(after_write) == _listed(again) == 2
    assert (len(loaded), len(cached)) == (1, 0), (loaded, cached)
