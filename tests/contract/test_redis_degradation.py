"""Redis down (R2): the adapters answer at once with their degraded answer, never raise or
hang, log the outage once, and recover by themselves, on the same client, once it is back.

"Down" is first a port nothing listens on, then a private `redis-server` stopped mid-test.
A call must come back well within CALL_TIMEOUT: a generous bound, so the tests prove "no
hang" without timing anything.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

import pytest
import redis.asyncio
from redis.exceptions import RedisError
from structlog.testing import capture_logs

from project.adapters.redis import (
    RedisCache,
    RedisRateLimiter,
    RedisSessionDenylist,
    check_redis,
    create_redis,
)
from project.domain.model.ids import SessionId
from tests.contract._redis import (  # noqa: F401 (fixtures)
    PrivateRedisServer,
    free_port,
    redis_client_fixture,
    redis_url_fixture,
)

CALL_TIMEOUT = 2.0
TTL = timedelta(seconds=60)
WINDOW = timedelta(seconds=60)
T = TypeVar("T")


async def _fast(call: Awaitable[T]) -> T:
    return await asyncio.wait_for(call, timeout=CALL_TIMEOUT)


def _session() -> SessionId:
    return SessionId(uuid.uuid4())


@pytest.fixture
async def dead_client() -> AsyncIterator[redis.asyncio.Redis]:
    client = create_redis(f"redis://127.0.0.1:{free_port()}/0")
    yield client
    await client.aclose()


@pytest.fixture
async def private_server(tmp_path: Path) -> AsyncIterator[PrivateRedisServer]:
    server = PrivateRedisServer.on_free_port(tmp_path)
    await server.start()
    yield server
    await server.stop()


async def test_check_redis_passes_against_a_live_server(redis_client: redis.asyncio.Redis) -> None:
    await _fast(check_redis(redis_client))


async def test_check_redis_raises_at_once_when_nothing_listens(
    dead_client: redis.asyncio.Redis,
) -> None:
    with pytest.raises((RedisError, OSError)):
        await _fast(check_redis(dead_client))


async def test_a_cache_without_redis_misses_and_drops_writes_at_once(
    dead_client: redis.asyncio.Redis,
) -> None:
    cache = RedisCache(dead_client, "project-test:dead:")

    await _fast(cache.set("key", b"value", TTL))
    added = await _fast(cache.add("key", b"value", TTL))
    await _fast(cache.delete("key", "other"))

    assert added is False
    assert await _fast(cache.get("key")) is None


async def test_a_cache_outage_is_logged_once_not_on_every_call(
    dead_client: redis.asyncio.Redis,
) -> None:
    cache = RedisCache(dead_client, "project-test:dead:")

    with capture_logs() as logs:
        for _ in range(3):
            await _fast(cache.get("key"))
            await _fast(cache.set("key", b"value", TTL))

    assert [log["event"] for log in logs] == ["redis_unavailable"]
    assert logs[0]["log_level"] == "warning"


async def test_a_fail_open_limiter_without_redis_allows_with_the_full_limit(
    dead_client: redis.asyncio.Redis,
) -> None:
    limiter = RedisRateLimiter(dead_client, "project-test:dead:", fail_open=True)

    decisions = [await _fast(limiter.hit("key", limit=3, window=WINDOW)) for _ in range(5)]

    assert {(d.allowed, d.remaining, d.limit) for d in decisions} == {(True, 3, 3)}


async def test_a_fail_closed_limiter_without_redis_denies_for_a_whole_window(
    dead_client: redis.asyncio.Redis,
) -> None:
    limiter = RedisRateLimiter(dead_client, "project-test:dead:", fail_open=False)

    decision = await _fast(limiter.hit("key", limit=3, window=WINDOW))

    assert (decision.allowed, decision.remaining, decision.reset_after) == (False, 0, WINDOW)


async def test_a_limiter_reset_without_redis_does_not_raise(
    dead_client: redis.asyncio.Redis,
) -> None:
    limiter = RedisRateLimiter(dead_client, "project-test:dead:")

    await _fast(limiter.reset("key"))


@pytest.mark.parametrize("fail_closed", [True, False])
async def test_a_denylist_without_redis_answers_its_fail_closed_setting(
    dead_client: redis.asyncio.Redis, fail_closed: bool
) -> None:
    denylist = RedisSessionDenylist(dead_client, "project-test:dead:", fail_closed=fail_closed)

    assert await _fast(denylist.is_denied(_session())) is fail_closed


async def test_a_denial_without_redis_is_logged_as_an_error_not_raised(
    dead_client: redis.asyncio.Redis,
) -> None:
    denylist = RedisSessionDenylist(dead_client, "project-test:dead:", fail_closed=True)

    with capture_logs() as logs:
        await _fast(denylist.deny(_session(), TTL))

    assert [(log["event"], log["log_level"]) for log in logs] == [
        ("session_denylist_write_failed", "error")
    ]


async def _eventually(check: Callable[[], Awaitable[bool]], attempts: int = 40) -> bool:
    for _ in range(attempts):
        if await check():
            return True
        await asyncio.sleep(0.05)
    return False


async def test_the_adapters_degrade_when_redis_stops_and_recover_on_the_same_client(
    private_server: PrivateRedisServer,
) -> None:
    client = create_redis(private_server.url)
    cache = RedisCache(client, "cache:")
    limiter = RedisRateLimiter(client, "limits:", fail_open=False)
    denylist = RedisSessionDenylist(client, "denied:", fail_closed=True)
    denied, other = _session(), _session()
    try:
        await cache.set("key", b"before", TTL)
        await denylist.deny(denied, TTL)
        assert (await limiter.hit("key", limit=3, window=WINDOW)).remaining == 2
        assert await denylist.is_denied(other) is False

        await private_server.stop()
        with capture_logs() as logs:
            assert await _fast(cache.get("key")) is None
            await _fast(cache.set("key", b"during", TTL))
            assert (await _fast(limiter.hit("key", limit=3, window=WINDOW))).allowed is False
            assert await _fast(denylist.is_denied(other)) is True
            await _fast(denylist.deny(other, TTL))

            await private_server.start()  # empty: nothing was saved

            async def cache_works() -> bool:
                await cache.set("key", b"after", TTL)
                return await cache.get("key") == b"after"

            assert await _eventually(cache_works), "the cache did not recover"
            assert (await limiter.hit("key", limit=3, window=WINDOW)).remaining == 2
            assert await denylist.is_denied(other) is False
        events = [(log.get("adapter"), log["event"]) for log in logs]
        for adapter in ("cache", "rate_limiter", "session_denylist"):
            assert events.count((adapter, "redis_unavailable")) == 1
            assert events.count((adapter, "redis_recovered")) == 1
    finally:
        await client.aclose()
