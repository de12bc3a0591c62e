"""The Cache contract (S30, R2), run against every adapter.

Each adapter comes as a harness that also moves time forward. Durations are given in ticks:
the memory adapter runs on a manual clock (a tick is a minute, taking no time); the Redis
adapter maps a tick to a short real interval and sleeps. Whether an adapter has a bounded
capacity is declared by its harness, and only bounded ones run the bound tests.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta

import pytest
import redis.asyncio

from project.adapters.memory.cache import InMemoryCache
from project.adapters.redis import RedisCache
from project.ports.cache import Cache
from tests.contract._redis import (  # noqa: F401 (fixtures)
    redis_client_fixture,
    redis_namespace,
    redis_prefix_fixture,
    redis_url_fixture,
)


@dataclass(frozen=True)
class CacheHarness:
    cache: Cache
    tick: timedelta
    pass_time: Callable[[timedelta], Awaitable[None]]
    capacity: int | None

    def ttl(self, ticks: int) -> timedelta:
        return self.tick * ticks

    async def wait(self, ticks: int) -> None:
        await self.pass_time(self.tick * ticks)


class _ManualTime:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now

    async def pass_time(self, delta: timedelta) -> None:
        self.now += delta.total_seconds()


async def _sleep(delta: timedelta) -> None:
    await asyncio.sleep(delta.total_seconds())


@asynccontextmanager
async def _memory(capacity: int | None) -> AsyncIterator[CacheHarness]:
    time = _ManualTime()
    cache = InMemoryCache(max_entries=capacity or 10_000, monotonic=time)
    yield CacheHarness(cache, timedelta(minutes=1), time.pass_time, capacity)


@asynccontextmanager
async def _redis(capacity: int | None) -> AsyncIterator[CacheHarness]:
    assert capacity is None, "Redis bounds its memory itself"
    async with redis_namespace() as namespace:
        cache = RedisCache(namespace.client, namespace.prefix)
        yield CacheHarness(cache, timedelta(milliseconds=100), _sleep, None)


# name -> factory(capacity): a harness on a fresh, empty adapter, bounded to `capacity`
# entries or unbounded for None. Only adapters listed in BOUNDED can honour a capacity.
ADAPTERS: dict[str, Callable[[int | None], AbstractAsyncContextManager[CacheHarness]]] = {
    "memory": _memory,
    "redis": _redis,
}
BOUNDED = ["memory"]
CAPACITY = 3


@pytest.fixture(params=list(ADAPTERS))
async def harness(request: pytest.FixtureRequest) -> AsyncIterator[CacheHarness]:
    async with ADAPTERS[request.param](None) as built:
        yield built


@pytest.fixture(params=BOUNDED)
async def bounded(request: pytest.FixtureRequest) -> AsyncIterator[CacheHarness]:
    async with ADAPTERS[request.param](CAPACITY) as built:
        yield built


async def test_a_key_never_set_reads_as_missing(harness: CacheHarness) -> None:
    assert await harness.cache.get("never-set") is None


async def test_a_value_reads_back_byte_for_byte(harness: CacheHarness) -> None:
    value = bytes(range(256)) + "Zoë 東京".encode()
    await harness.cache.set("binary", value, harness.ttl(10))
    await harness.cache.set("empty", b"", harness.ttl(10))

    assert await harness.cache.get("binary") == value
    assert await harness.cache.get("empty") == b""


async def test_setting_a_key_again_replaces_its_value(harness: CacheHarness) -> None:
    await harness.cache.set("key", b"first", harness.ttl(10))

    await harness.cache.set("key", b"second", harness.ttl(10))

    assert await harness.cache.get("key") == b"second"


async def test_a_value_holds_until_just_before_its_ttl(harness: CacheHarness) -> None:
    await harness.cache.set("key", b"value", harness.ttl(3))

    await harness.wait(2)

    assert await harness.cache.get("key") == b"value"


async def test_a_value_lapses_once_its_ttl_has_passed(harness: CacheHarness) -> None:
    await harness.cache.set("key", b"value", harness.ttl(2))

    await harness.wait(3)

    assert await harness.cache.get("key") is None


async def test_setting_a_key_again_restarts_its_ttl(harness: CacheHarness) -> None:
    await harness.cache.set("key", b"first", harness.ttl(3))
    await harness.wait(2)

    await harness.cache.set("key", b"second", harness.ttl(3))
    await harness.wait(2)

    assert await harness.cache.get("key") == b"second"


async def test_add_stores_a_value_only_when_the_key_is_absent(harness: CacheHarness) -> None:
    first = await harness.cache.add("key", b"first", harness.ttl(10))
    second = await harness.cache.add("key", b"second", harness.ttl(10))

    assert (first, second) == (True, False)
    assert await harness.cache.get("key") == b"first"


async def test_add_stores_again_once_the_previous_value_has_lapsed(
    harness: CacheHarness,
) -> None:
    await harness.cache.add("key", b"first", harness.ttl(1))
    await harness.wait(2)

    assert await harness.cache.add("key", b"second", harness.ttl(10)) is True
    assert await harness.cache.get("key") == b"second"


async def test_a_deleted_key_reads_as_missing(harness: CacheHarness) -> None:
    await harness.cache.set("key", b"stale", harness.ttl(10))

    await harness.cache.delete("key")

    assert await harness.cache.get("key") is None


async def test_a_deleted_key_can_be_added_again(harness: CacheHarness) -> None:
    await harness.cache.add("key", b"first", harness.ttl(10))
    await harness.cache.delete("key")

    assert await harness.cache.add("key", b"second", harness.ttl(10)) is True


async def test_delete_removes_several_keys_and_leaves_the_others(harness: CacheHarness) -> None:
    for key in ("a", "b", "c"):
        await harness.cache.set(key, key.encode(), harness.ttl(10))

    await harness.cache.delete("a", "c")

    assert [await harness.cache.get(key) for key in ("a", "b", "c")] == [None, b"b", None]


async def test_deleting_missing_keys_or_no_keys_is_harmless(harness: CacheHarness) -> None:
    await harness.cache.delete()
    await harness.cache.delete("never-set", "nor-this")

    assert await harness.cache.get("never-set") is None


async def test_a_ttl_that_is_not_positive_is_refused(harness: CacheHarness) -> None:
    with pytest.raises(ValueError, match="positive"):
        await harness.cache.set("key", b"value", timedelta(0))
    with pytest.raises(ValueError, match="positive"):
        await harness.cache.add("key", b"value", timedelta(seconds=-1))

    assert await harness.cache.get("key") is None


async def test_concurrent_adds_of_one_key_store_exactly_once(harness: CacheHarness) -> None:
    values = [f"writer {n}".encode() for n in range(100)]

    stored = await asyncio.gather(
        *(harness.cache.add("key", value, harness.ttl(10)) for value in values)
    )

    assert stored.count(True) == 1
    assert await harness.cache.get("key") == values[stored.index(True)]


async def test_many_concurrent_writes_and_reads_agree(harness: CacheHarness) -> None:
    written = [f"written-{n}" for n in range(200)]
    untouched = [f"untouched-{n}" for n in range(200)]

    await asyncio.gather(
        *(harness.cache.set(key, key.encode(), harness.ttl(10)) for key in written),
        *(harness.cache.get(key) for key in untouched),
    )
    values = await asyncio.gather(*(harness.cache.get(key) for key in written + untouched))

    assert values == [key.encode() for key in written] + [None] * len(untouched)


async def test_a_full_cache_evicts_the_least_recently_used_entry(
    bounded: CacheHarness,
) -> None:
    for key in ("a", "b", "c"):
        await bounded.cache.set(key, key.encode(), bounded.ttl(10))
    await bounded.cache.get("a")  # now b is the least recently used

    await bounded.cache.set("d", b"d", bounded.ttl(10))

    assert [await bounded.cache.get(key) for key in ("a", "b", "c", "d")] == [
        b"a",
        None,
        b"c",
        b"d",
    ]


async def test_a_full_cache_still_takes_every_new_value(bounded: CacheHarness) -> None:
    keys = [f"key-{n}" for n in range(CAPACITY * 4)]

    for key in keys:
        await bounded.cache.set(key, key.encode(), bounded.ttl(10))
        assert await bounded.cache.get(key) == key.encode()

    kept = [await bounded.cache.get(key) is not None for key in keys]
    assert kept == [False] * (len(keys) - CAPACITY) + [True] * CAPACITY


async def test_the_redis_cache_keeps_every_key_under_its_prefix(
    redis_client: redis.asyncio.Redis, redis_prefix: str
) -> None:
    cache = RedisCache(redis_client, redis_prefix + "cache:")
    neighbour = RedisCache(redis_client, redis_prefix + "other:")

    await cache.set("key", b"value", timedelta(seconds=10))
    await cache.add("added", b"value", timedelta(seconds=10))

    keys = sorted([key async for key in redis_client.scan_iter(match=f"{redis_prefix}*")])
    assert keys == [f"{redis_prefix}cache:{name}".encode() for name in ("added", "key")]
    assert await neighbour.get("key") is None
