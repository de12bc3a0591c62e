"""The read cache's rules: cache-aside with versioned keys, and never an error of its own."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import msgspec
import pytest

from project.adapters.memory.cache import InMemoryCache
from project.domain.model.cache_keys import (
    bookmark_page_key,
    catalog_scope,
    session_key,
    version_key,
)
from project.domain.model.ids import CollectionId, SessionId, UserId
from project.domain.model.pages import Cursor, Sort
from project.domain.model.query import parse_query
from project.domain.model.search import SearchRequest, SearchScope
from project.domain.services._cached import ReadCache

ANN = UserId(UUID(int=1))
BOB = UserId(UUID(int=2))
TTL = timedelta(minutes=1)


class Item(msgspec.Struct, frozen=True):
    name: str
    count: int


class Loader:
    """Counts its calls; returns a new value each time, so a reload shows."""

    def __init__(self) -> None:
        self.calls = 0

    async def __call__(self) -> list[Item]:
        self.calls += 1
        return [Item("python", self.calls)]


class DownCache:
    """A cache whose server is down, as the port behaves then: misses, dropped writes."""

    async def get(self, key: str) -> bytes | None:
        return None

    async def set(self, key: str, value: bytes, ttl: timedelta) -> None:
        return None

    async def add(self, key: str, value: bytes, ttl: timedelta) -> bool:
        return False

    async def delete(self, *keys: str) -> None:
        return None


async def _read(cache: ReadCache, load: Loader, user: UserId = ANN) -> list[Item]:
    version = await cache.version(catalog_scope(user))
    return await cache.get_or_load(f"tags:{user}:{version}", list[Item], load, TTL)


async def test_a_second_read_is_served_from_the_cache() -> None:
    cache, load = ReadCache(InMemoryCache()), Loader()

    first = await _read(cache, load)
    second = await _read(cache, load)

    assert first == second == [Item("python", 1)]
    assert load.calls == 1


async def test_a_bump_makes_the_next_read_load_again_and_only_for_that_scope() -> None:
    cache, ann, bob = ReadCache(InMemoryCache()), Loader(), Loader()
    await _read(cache, ann)
    await _read(cache, bob, BOB)

    await cache.bump(catalog_scope(ANN))

    assert await _read(cache, ann) == [Item("python", 2)]
    assert await _read(cache, bob, BOB) == [Item("python", 1)]
    assert (ann.calls, bob.calls) == (2, 1)


async def test_two_processes_on_one_cache_agree_on_the_version_and_see_each_others_bumps() -> None:
    shared = InMemoryCache()
    one, other = ReadCache(shared), ReadCache(shared)
    load = Loader()

    assert await one.version("s") == await other.version("s")
    await _read(one, load)
    await _read(other, load)
    assert load.calls == 1

    await one.bump(catalog_scope(ANN))
    await _read(other, load)
    assert load.calls == 2


async def test_a_lost_version_is_replaced_by_a_fresh_one_never_an_old_one() -> None:
    store = InMemoryCache()
    cache, load = ReadCache(store), Loader()
    before = await cache.version(catalog_scope(ANN))
    await _read(cache, load)

    await store.delete(version_key(catalog_scope(ANN)))  # evicted, expired or flushed

    assert await cache.version(catalog_scope(ANN)) != before
    assert await _read(cache, load) == [Item("python", 2)]


async def test_without_a_cache_every_read_loads_and_bumps_do_nothing() -> None:
    cache, load = ReadCache(), Loader()

    await _read(cache, load)
    await cache.bump(catalog_scope(ANN))
    await _read(cache, load)

    assert load.calls == 2


async def test_a_down_cache_means_misses_never_errors_R2() -> None:
    cache, load = ReadCache(DownCache()), Loader()

    await _read(cache, load)
    await cache.bump(catalog_scope(ANN))
    assert await _read(cache, load) == [Item("python", 2)]
    assert load.calls == 2


async def test_an_entry_that_does_not_decode_is_a_miss() -> None:
    store = InMemoryCache()
    cache, load = ReadCache(store), Loader()
    version = await cache.version(catalog_scope(ANN))
    await store.set(f"tags:{ANN}:{version}", b"\xc1 not msgpack", TTL)

    assert await _read(cache, load) == [Item("python", 1)]
    assert await _read(cache, load) == [Item("python", 1)]  # stored over the bad one
    assert load.calls == 1


async def test_a_failing_load_stores_nothing() -> None:
    cache = ReadCache(InMemoryCache())

    async def failing() -> list[Item]:
        raise LookupError("no such thing")

    with pytest.raises(LookupError):
        await cache.get_or_load("k", list[Item], failing, TTL)
    load = Loader()
    assert await cache.get_or_load("k", list[Item], load, TTL) == [Item("python", 1)]


def _request(q: str = "", **extra: object) -> SearchRequest:
    scope = extra.pop("scope", SearchScope(owner_id=ANN))
    return SearchRequest(scope=scope, query=parse_query(q), **extra)  # type: ignore[arg-type]


def test_a_page_key_names_the_owner_the_version_and_every_part_of_the_request() -> None:
    base = bookmark_page_key(_request("alpha #python"), "v1")
    same = bookmark_page_key(_request("alpha  #python"), "v1")  # parsed alike
    others = {
        bookmark_page_key(_request("alpha #python"), "v2"),
        bookmark_page_key(_request("alpha"), "v1"),
        bookmark_page_key(_request("alpha #python", sort=Sort.OLDEST), "v1"),
        bookmark_page_key(_request("alpha #python", limit=10), "v1"),
        bookmark_page_key(_request("alpha #python", with_total=True), "v1"),
        bookmark_page_key(_request("alpha #python", scope=SearchScope(owner_id=BOB)), "v1"),
    }

    assert base == same
    assert str(ANN) in base
    assert "v1" in base
    assert base not in others
    assert len(others) == 6


def test_only_first_pages_of_one_owner_have_a_page_key() -> None:
    cursor = Cursor(sort=Sort.NEWEST, key=1, id="x")
    shared = SearchScope(collection_ids=(CollectionId(UUID(int=9)),))
    with pytest.raises(ValueError, match="only first pages"):
        bookmark_page_key(_request(cursor=cursor), "v1")
    with pytest.raises(ValueError, match="only first pages"):
        bookmark_page_key(_request(scope=shared), "v1")


def test_a_session_key_names_the_user_the_session_and_the_version() -> None:
    key = session_key(ANN, SessionId(UUID(int=7)), "v1")
    assert str(ANN) in key
    assert str(UUID(int=7)) in key
    assert key.endswith(":v1")
