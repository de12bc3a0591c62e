"""The read cache across app instances (docs/performance.md, "Caching"; S5, R2).

Two instances share one database and one Redis namespace, as two processes behind a load
balancer do. Each test warms the cache through instance B, writes through instance A, and
reads through B once, with no waiting: a write is visible on the very next read anywhere.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import event
from sqlalchemy.engine import Engine

from project.entrypoints.settings import Environment, Settings
from tests.contract._redis import (
    PrivateRedisServer,
    redis_namespace,
    redis_url_fixture,  # noqa: F401 - the `redis_url` fixture
)
from tests.e2e._http_kit import Client, Login, assert_problem, make_app, signup
from tests.e2e._site import Site, serving

BOOKMARKS = "/api/v1/bookmarks"
TAGS = "/api/v1/tags"
COLLECTIONS = "/api/v1/collections"
LINKDING = "/api/bookmarks/"
ADMIN = "/api/v1/admin/users"
IMPORTS = "/api/v1/imports"


def _settings(tmp_path: Path, database_url: str | None, redis_url: str, **extra: Any) -> Settings:
    quiet = {
        "archive_on_save": False,
        "worker_in_app": False,
        "login_ip_attempts": 100_000,
        "api_user_requests_per_minute": 100_000,
        "api_anonymous_requests_per_minute": 100_000,
    }
    return Settings(
        env=Environment.TEST,
        data_dir=tmp_path / "data",
        database_url=database_url,
        redis_url=redis_url,
        **{**quiet, **extra},
    ).resolve()


@asynccontextmanager
async def _instances(
    settings_a: Settings, settings_b: Settings | None = None
) -> AsyncIterator[tuple[Client, Client]]:
    async with (
        AsyncTestClient(app=make_app(settings_a)) as a,
        AsyncTestClient(app=make_app(settings_b or settings_a)) as b,
    ):
        yield a, b


@pytest.fixture
async def two(
    tmp_path: Path, empty_database: str | None, redis_url: str
) -> AsyncIterator[tuple[Client, Client]]:
    async with redis_namespace() as namespace:
        settings = _settings(tmp_path, empty_database, redis_url, redis_prefix=namespace.prefix)
        assert settings.uses_read_cache
        async with _instances(settings) as clients:
            yield clients


async def _ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


async def _listed(client: Client, who: Login, **params: Any) -> dict[str, dict[str, Any]]:
    """The first page of the caller's bookmarks, by URL."""
    page = await _ok(
        await client.get(BOOKMARKS, params={"limit": 100, **params}, headers=who.headers)
    )
    return {item["url"]: item for item in page["items"]}


async def _tags(client: Client, who: Login) -> dict[str, int]:
    body = await _ok(await client.get(TAGS, headers=who.headers))
    return {item["name"]: item["count"] for item in body["items"]}


async def _linkding_urls(client: Client, who: Login) -> set[str]:
    body = await _ok(await client.get(LINKDING, params={"limit": 100}, headers=who.headers))
    return {item["url"] for item in body["results"]}


async def _warm(client: Client, who: Login) -> None:
    await _listed(client, who)
    await _tags(client, who)
    await _linkding_urls(client, who)


async def _create(client: Client, who: Login, url: str, **fields: Any) -> str:
    body = await _ok(
        await client.post(BOOKMARKS, json={"url": url, **fields}, headers=who.headers), 201
    )
    return str(body["id"])


async def _bulk(client: Client, who: Login, ids: list[str], action: str, **extra: Any) -> None:
    await _ok(
        await client.post(
            f"{BOOKMARKS}/bulk", json={"ids": ids, "action": action, **extra}, headers=who.headers
        )
    )


X, Y = "https://example.com/x", "https://example.com/y"


async def test_every_bookmark_and_tag_write_on_one_instance_is_read_at_once_on_another(
    two: tuple[Client, Client],
) -> None:
    a, b = two
    ann = await signup(a, "ann@example.com")
    await _warm(b, ann)
    assert await _listed(b, ann, q="#python") == {}

    x = await _create(a, ann, X, tags=["python"])
    assert set(await _listed(b, ann)) == {X}
    assert await _tags(b, ann) == {"python": 1}
    assert set(await _listed(b, ann, q="#python")) == {X}

    await _ok(await a.patch(f"{BOOKMARKS}/{x}", json={"title": "Ex"}, headers=ann.headers))
    assert (await _listed(b, ann))[X]["title"] == "Ex"

    y = (await _ok(await a.post(LINKDING, json={"url": Y}, headers=ann.headers), 201))["id"]
    assert set(await _listed(b, ann)) == {X, Y}
    assert await _linkding_urls(b, ann) == {X, Y}

    await _ok(await a.post(f"{LINKDING}{y}/archive", headers=ann.headers), 204)
    assert (await _listed(b, ann))[Y]["archived"] is True
    y = str(y)

    await _bulk(a, ann, [x, y], "favorite")
    assert all(item["favorite"] for item in (await _listed(b, ann)).values())
    await _bulk(a, ann, [x, y], "tag", tags=["go"])
    assert await _tags(b, ann) == {"python": 1, "go": 2}

    await _ok(await a.patch(f"{TAGS}/python", json={"name": "py"}, headers=ann.headers))
    assert await _tags(b, ann) == {"py": 1, "go": 2}
    assert await _listed(b, ann, q="#python") == {}
    await _ok(
        await a.post(
            f"{TAGS}/merge", json={"sources": ["py", "go"], "into": "lang"}, headers=ann.headers
        )
    )
    assert await _tags(b, ann) == {"lang": 2}
    await _ok(await a.delete(f"{TAGS}/lang", headers=ann.headers), 204)
    assert await _tags(b, ann) == {}

    await _bulk(a, ann, [y], "delete")
    assert set(await _listed(b, ann)) == {X}
    await _ok(await a.delete(f"{BOOKMARKS}/{x}", headers=ann.headers), 204)
    assert await _listed(b, ann) == {}
    assert await _linkding_urls(b, ann) == set()


async def test_an_editors_write_and_a_collection_delete_show_in_the_owners_list_at_once(
    two: tuple[Client, Client],
) -> None:
    a, b = two
    ann = await signup(a, "ann@example.com")
    bob = await signup(a, "bob@example.com")
    cid = (await _ok(await a.post(COLLECTIONS, json={"name": "Shared"}, headers=ann.headers), 201))[
        "id"
    ]
    share = {"email": bob.email, "role": "editor"}
    await _ok(await a.put(f"{COLLECTIONS}/{cid}/members", json=share, headers=ann.headers))
    x = await _create(a, ann, X, collection_id=cid)
    await _warm(b, ann)

    await _ok(
        await a.patch(
            f"{BOOKMARKS}/{x}", json={"title": "by bob", "tags": ["t"]}, headers=bob.headers
        )
    )
    assert (await _listed(b, ann))[X]["title"] == "by bob"
    assert await _tags(b, ann) == {"t": 1}

    await _bulk(a, bob, [x], "unfavorite")  # unchanged: nothing to see, nothing broken
    await _bulk(a, bob, [x], "mark_unread")
    assert (await _listed(b, ann))[X]["unread"] is True

    await _ok(await a.delete(f"{COLLECTIONS}/{cid}", headers=ann.headers), 204)
    assert (await _listed(b, ann))[X]["collection_id"] is None


async def test_collection_access_changes_on_one_instance_are_enforced_at_once_on_another(
    two: tuple[Client, Client],
) -> None:
    a, b = two
    admin = await signup(a, "admin@example.com")  # the first account is the administrator
    ann = await signup(a, "ann@example.com")
    bob = await signup(a, "bob@example.com")
    cid = (await _ok(await a.post(COLLECTIONS, json={"name": "Shared"}, headers=ann.headers), 201))[
        "id"
    ]
    await _create(a, ann, X, collection_id=cid)
    one, pages = f"{COLLECTIONS}/{cid}", f"{COLLECTIONS}/{cid}/bookmarks"

    async def as_bob() -> tuple[httpx.Response, httpx.Response]:
        return await b.get(one, headers=bob.headers), await b.get(pages, headers=bob.headers)

    assert [r.status_code for r in await as_bob()] == [404, 404]  # warm: a stranger
    viewer = {"email": bob.email, "role": "viewer"}
    await _ok(await a.put(f"{one}/members", json=viewer, headers=ann.headers))
    got, listed = await as_bob()
    assert (await _ok(got))["role"] == "viewer"
    assert len((await _ok(listed))["items"]) == 1

    await _ok(await a.patch(one, json={"name": "Renamed"}, headers=ann.headers))
    assert (await _ok((await as_bob())[0]))["name"] == "Renamed"
    await _ok(await a.put(f"{one}/members", json={**viewer, "role": "editor"}, headers=ann.headers))
    assert (await _ok((await as_bob())[0]))["role"] == "editor"
    await _ok(await a.post(f"{one}/public-link", headers=ann.headers), 201)
    assert (await _ok((await as_bob())[0]))["is_public"] is True

    await _ok(await a.delete(f"{one}/members/{bob.user_id}", headers=ann.headers), 204)
    for response in await as_bob():
        assert_problem(response, 404)

    await _ok(await a.put(f"{one}/members", json=viewer, headers=ann.headers))
    assert [r.status_code for r in await as_bob()] == [200, 200]
    await _ok(await a.delete(f"{ADMIN}/{ann.user_id}", headers=admin.headers), 204)
    for response in await as_bob():
        assert_problem(response, 404)


async def test_account_changes_on_one_instance_are_enforced_at_once_on_another_B5(
    two: tuple[Client, Client],
) -> None:
    a, b = two
    admin = await signup(a, "admin@example.com")
    ann = await signup(a, "ann@example.com")
    user = f"{ADMIN}/{ann.user_id}"

    async def change(**fields: Any) -> None:
        await _ok(await b.get(BOOKMARKS, headers=ann.headers))  # B has the session check warm
        await _ok(await a.patch(user, json=fields, headers=admin.headers))

    await change(role="admin")
    await _ok(await b.get(ADMIN, headers=ann.headers))
    await _ok(await a.patch(user, json={"role": "user"}, headers=admin.headers))
    assert_problem(await b.get(ADMIN, headers=ann.headers), 403)

    await change(totp_required=True)
    refused = await b.get(BOOKMARKS, headers=ann.headers)
    assert_problem(refused, 403, "second_factor_enrolment_required")
    await _ok(await a.patch(user, json={"totp_required": False}, headers=admin.headers))

    await change(status="disabled")
    assert_problem(await b.get(BOOKMARKS, headers=ann.headers), 401)


async def test_imports_on_one_instance_show_at_once_on_another(
    two: tuple[Client, Client],
) -> None:
    a, b = two
    ann = await signup(a, "ann@example.com")
    await _warm(b, ann)
    entries = b"".join(
        b'<DT><A HREF="https://example.com/%d" TAGS="imported">%d</A>\n' % (i, i) for i in range(3)
    )

    job = await _ok(
        await a.post(
            IMPORTS, files={"file": ("b.html", entries, "text/html")}, headers=ann.headers
        ),
        202,
    )
    for _ in range(100):
        status = (await _ok(await a.get(f"{IMPORTS}/{job['id']}", headers=ann.headers)))["status"]
        if status in ("done", "failed"):
            break
        await asyncio.sleep(0.05)

    assert status == "done"
    assert len(await _listed(b, ann)) == 3
    assert await _tags(b, ann) == {"imported": 3}


@pytest.fixture
def site() -> Iterator[Site]:
    with serving() as running:
        running.slow_seconds = 1.0
        yield running


async def _archive_status(client: Client, who: Login, bookmark_id: str, done: set[str]) -> str:
    for _ in range(100):
        body = await _ok(await client.get(f"{BOOKMARKS}/{bookmark_id}", headers=who.headers))
        if body["archive_status"] in done:
            return str(body["archive_status"])
        await asyncio.sleep(0.1)
    raise AssertionError(f"archiving did not finish: {body}")


async def test_archive_state_set_by_a_worker_on_one_instance_shows_at_once_on_another(
    tmp_path: Path, redis_url: str, site: Site
) -> None:
    """A's in-app worker archives what B saved; B's cached list shows each state change."""
    fetching = {"fetch_allowed_networks": ["127.0.0.0/8"], "fetch_allowed_ports": [site.port]}
    async with redis_namespace() as namespace:
        common = {"redis_prefix": namespace.prefix, "archive_on_save": True, **fetching}
        worker = _settings(tmp_path, None, redis_url, **{**common, "worker_in_app": True})
        plain = _settings(tmp_path, None, redis_url, **common)
        async with _instances(worker, plain) as (_, b):
            ann = await signup(b, "ann@example.com")
            slow, gone = site.url("/slow/page"), site.url("/gone")
            slow_id = await _create(b, ann, slow)
            gone_id = await _create(b, ann, gone)
            before = await _listed(b, ann)  # cached while the worker fetches

            await _archive_status(b, ann, slow_id, {"archived", "failed"})
            await _archive_status(b, ann, gone_id, {"archived", "failed"})
            after = await _listed(b, ann)

            await _ok(await b.post(f"{BOOKMARKS}/{slow_id}/archive", headers=ann.headers), 202)
            again = await _listed(b, ann)

    assert before[slow]["archive_status"] == "pending"
    assert after[slow]["archive_status"] == "archived"
    assert after[slow]["display_title"] != before[slow]["display_title"]
    assert after[gone]["archive_status"] == "failed"
    assert again[slow]["archive_status"] == "pending"


@contextmanager
def _counting(client: Client) -> Iterator[list[str]]:
    """Statements the client's app runs meanwhile (its engine, from the app's thread)."""
    engine: Engine = client.app.state.project.container.engine().sync_engine
    statements: list[str] = []
    lock = threading.Lock()

    def record(*args: Any) -> None:
        with lock:
            statements.append(args[2])

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


async def test_what_one_instance_cached_another_serves_without_a_statement_P2(
    two: tuple[Client, Client],
) -> None:
    a, b = two
    ann = await signup(a, "ann@example.com")
    await _create(a, ann, X, tags=["python"])
    await _warm(a, ann)  # B has served nothing of ann's yet; only A read these
    await _ok(await b.get("/health/live"))  # B's engine is up, so connecting is not counted

    with _counting(b) as statements:
        listed = await _listed(b, ann)
        tags = await _tags(b, ann)

    assert set(listed) == {X}
    assert tags == {"python": 1}
    assert statements == []


async def test_with_redis_down_reads_and_writes_stay_correct_then_the_cache_returns_R2(
    tmp_path: Path,
) -> None:
    server = PrivateRedisServer.on_free_port(tmp_path)
    await server.start()
    try:
        settings = _settings(tmp_path, None, server.url)
        async with AsyncTestClient(app=make_app(settings)) as client:
            ann = await signup(client, "ann@example.com")
            await _create(client, ann, X, tags=["python"])
            await _warm(client, ann)

            await server.stop()
            await _create(client, ann, Y, tags=["go"])
            during = await _listed(client, ann), await _tags(client, ann)

            await server.start()
            await _create(client, ann, "https://example.com/z")
            after = await _listed(client, ann), await _tags(client, ann)
            cached = await _listed(client, ann)
    finally:
        await server.stop()

    assert set(during[0]) == {X, Y}
    assert during[1] == {"python": 1, "go": 1}
    assert len(after[0]) == 3
    assert after[1] == {"python": 1, "go": 1}
    assert cached == after[0]
