"""The RateLimiter contract (S30, S31), run against every adapter.

Each adapter comes as a harness that also moves time forward. Durations are given in ticks:
the memory adapter runs on a manual clock (a tick is a minute, taking no time); the Redis
adapter maps a tick to a short real interval and sleeps. A harness also offers a second
limiter on the same store, as another process would see it: the same object in memory, a
second client with its own connection pool on Redis. Whether an adapter has a bounded
capacity is declared by its harness, and only bounded ones run the bound tests.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta

import pytest

from project.adapters.memory.rate_limiter import InMemoryRateLimiter
from project.adapters.redis import RedisRateLimiter, create_redis
from project.ports.cache import RateLimiter
from tests.contract._redis import redis_namespace


@dataclass(frozen=True)
class LimiterHarness:
    limiter: RateLimiter
    sibling: RateLimiter
    tick: timedelta
    pass_time: Callable[[timedelta], Awaitable[None]]
    capacity: int | None

    def ticks(self, count: int) -> timedelta:
        return self.tick * count

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
async def _memory(capacity: int | None) -> AsyncIterator[LimiterHarness]:
    time = _ManualTime()
    limiter = InMemoryRateLimiter(max_keys=capacity or 100_000, monotonic=time)
    yield LimiterHarness(limiter, limiter, timedelta(minutes=1), time.pass_time, capacity)


@asynccontextmanager
async def _redis(capacity: int | None) -> AsyncIterator[LimiterHarness]:
    assert capacity is None, "Redis bounds its memory itself"
    async with redis_namespace() as namespace:
        other_client = create_redis(namespace.url)
        try:
            yield LimiterHarness(
                RedisRateLimiter(namespace.client, namespace.prefix),
                RedisRateLimiter(other_client, namespace.prefix),
                timedelta(milliseconds=100),
                _sleep,
                None,
            )
        finally:
            await other_client.aclose()


# name -> factory(capacity): a harness on a fresh, empty adapter, bounded to `capacity`
# keys or unbounded for None. Only adapters listed in BOUNDED can honour a capacity.
ADAPTERS: dict[str, Callable[[int | None], AbstractAsyncContextManager[LimiterHarness]]] = {
    "memory": _memory,
    "redis": _redis,
}
BOUNDED = ["memory"]
CAPACITY = 3
WINDOW = 10  # ticks


@pytest.fixture(params=list(ADAPTERS))
async def harness(request: pytest.FixtureRequest) -> AsyncIterator[LimiterHarness]:
    async with ADAPTERS[request.param](None) as built:
        yield built


@pytest.fixture(params=BOUNDED)
async def bounded(request: pytest.FixtureRequest) -> AsyncIterator[LimiterHarness]:
    async with ADAPTERS[request.param](CAPACITY) as built:
        yield built


async def _hits(harness: LimiterHarness, key: str, count: int, *, limit: int) -> list[bool]:
    window = harness.ticks(WINDOW)
    return [
        (await harness.limiter.hit(key, limit=limit, window=window)).allowed for _ in range(count)
    ]


async def test_the_first_hit_is_allowed_and_opens_a_full_window(harness: LimiterHarness) -> None:
    decision = await harness.limiter.hit("key", limit=3, window=harness.ticks(WINDOW))

    assert (decision.allowed, decision.limit, decision.remaining) == (True, 3, 2)
    assert harness.ticks(WINDOW - 1) < decision.reset_after <= harness.ticks(WINDOW)


async def test_each_hit_lowers_the_remaining_count(harness: LimiterHarness) -> None:
    window = harness.ticks(WINDOW)

    remaining = [
        (await harness.limiter.hit("key", limit=3, window=window)).remaining for _ in "xyz"
    ]

    assert remaining == [2, 1, 0]


async def test_hits_past_the_limit_are_denied_with_nothing_remaining(
    harness: LimiterHarness,
) -> None:
    window = harness.ticks(WINDOW)
    for _ in range(3):
        await harness.limiter.hit("key", limit=3, window=window)

    denied = await harness.limiter.hit("key", limit=3, window=window)

    assert (denied.allowed, denied.remaining) == (False, 0)
    assert await _hits(harness, "key", 2, limit=3) == [False, False]


async def test_a_denied_hit_still_counts(harness: LimiterHarness) -> None:
    window = harness.ticks(WINDOW)
    await harness.limiter.hit("key", limit=5, window=window, cost=4)
    await harness.limiter.hit("key", limit=5, window=window, cost=4)  # denied: 8 > 5

    decision = await harness.limiter.hit("key", limit=5, window=window)

    assert decision.allowed is False  # 9, not 5: the denied hit counted


async def test_a_cost_counts_as_that_many_hits(harness: LimiterHarness) -> None:
    window = harness.ticks(WINDOW)

    first = await harness.limiter.hit("key", limit=5, window=window, cost=3)
    second = await harness.limiter.hit("key", limit=5, window=window, cost=2)
    third = await harness.limiter.hit("key", limit=5, window=window)

    assert [first.remaining, second.remaining] == [2, 0]
    assert [first.allowed, second.allowed, third.allowed] == [True, True, False]


async def test_a_cost_above_the_limit_is_denied_at_once(harness: LimiterHarness) -> None:
    decision = await harness.limiter.hit("key", limit=2, window=harness.ticks(WINDOW), cost=3)

    assert (decision.allowed, decision.remaining) == (False, 0)


async def test_reset_after_counts_down_to_the_end_of_the_window(
    harness: LimiterHarness,
) -> None:
    window = harness.ticks(WINDOW)
    await harness.limiter.hit("key", limit=3, window=window)
    await harness.wait(3)

    decision = await harness.limiter.hit("key", limit=3, window=window)

    assert harness.ticks(WINDOW - 4) < decision.reset_after <= harness.ticks(WINDOW - 3)


async def test_the_count_starts_again_once_the_window_has_passed(
    harness: LimiterHarness,
) -> None:
    await _hits(harness, "key", 4, limit=3)
    await harness.wait(WINDOW + 1)

    decision = await harness.limiter.hit("key", limit=3, window=harness.ticks(WINDOW))

    assert (decision.allowed, decision.remaining) == (True, 2)
    assert harness.ticks(WINDOW - 1) < decision.reset_after <= harness.ticks(WINDOW)


async def test_the_window_is_fixed_from_the_first_hit_not_sliding(
    harness: LimiterHarness,
) -> None:
    await harness.limiter.hit("key", limit=2, window=harness.ticks(WINDOW))
    await harness.wait(WINDOW - 3)
    await harness.limiter.hit("key", limit=2, window=harness.ticks(WINDOW))
    await harness.wait(4)  # the first window is over, though the last hit is recent

    assert await _hits(harness, "key", 2, limit=2) == [True, True]


async def test_reset_forgets_the_count(harness: LimiterHarness) -> None:
    await _hits(harness, "key", 4, limit=3)

    await harness.limiter.reset("key")

    assert await _hits(harness, "key", 1, limit=3) == [True]
    decision = await harness.limiter.hit("key", limit=3, window=harness.ticks(WINDOW))
    assert decision.remaining == 1


async def test_resetting_a_key_never_hit_is_harmless(harness: LimiterHarness) -> None:
    await harness.limiter.reset("never-hit")

    assert await _hits(harness, "never-hit", 1, limit=1) == [True]


async def test_keys_are_counted_independently(harness: LimiterHarness) -> None:
    await _hits(harness, "spent", 2, limit=1)

    assert await _hits(harness, "fresh", 1, limit=1) == [True]
    assert await _hits(harness, "spent", 1, limit=1) == [False]


async def test_nonsensical_limits_costs_and_windows_are_refused(
    harness: LimiterHarness,
) -> None:
    window = harness.ticks(WINDOW)
    for limit, cost, duration in [(0, 1, window), (1, 0, window), (1, 1, timedelta(0))]:
        with pytest.raises(ValueError, match="must be"):
            await harness.limiter.hit("key", limit=limit, window=duration, cost=cost)

    assert await _hits(harness, "key", 1, limit=1) == [True]


async def test_concurrent_hits_allow_exactly_the_limit(harness: LimiterHarness) -> None:
    window = harness.ticks(WINDOW)

    decisions = await asyncio.gather(
        *(harness.limiter.hit("key", limit=100, window=window) for _ in range(500))
    )

    assert sum(decision.allowed for decision in decisions) == 100
    assert sorted(decision.remaining for decision in decisions)[-100:] == list(range(100))


async def test_concurrent_hits_from_two_limiters_on_one_store_allow_exactly_the_limit(
    harness: LimiterHarness,
) -> None:
    window = harness.ticks(WINDOW)
    limiters = [harness.limiter, harness.sibling] * 250

    decisions = await asyncio.gather(
        *(limiter.hit("key", limit=100, window=window) for limiter in limiters)
    )

    assert sum(decision.allowed for decision in decisions) == 100


async def test_a_full_limiter_forgets_the_oldest_window(bounded: LimiterHarness) -> None:
    for key in ("oldest", "older", "old"):
        await _hits(bounded, key, 2, limit=1)
        await bounded.wait(1)

    await _hits(bounded, "new", 1, limit=1)

    assert await _hits(bounded, "oldest", 1, limit=1) == [True]
    assert await _hits(bounded, "old", 1, limit=1) == [False]


async def test_lapsed_windows_make_room_before_any_live_one_is_forgotten(
    bounded: LimiterHarness,
) -> None:
    await _hits(bounded, "live", 2, limit=1)  # the oldest window, but still running
    for key in ("lapsing-1", "lapsing-2"):
        await bounded.limiter.hit(key, limit=1, window=bounded.ticks(1))
    await bounded.wait(2)

    for key in ("new-1", "new-2"):
        await _hits(bounded, key, 1, limit=1)

    assert await _hits(bounded, "live", 1, limit=1) == [False]
