"""The SessionDenylist contract (S5), run against every adapter.

Each adapter comes as a harness that also moves time forward. Durations are given in ticks:
the memory adapter runs on a manual clock (a tick is a minute, taking no time); an adapter on
a real server (Redis) maps a tick to a short real interval and sleeps. Whether an adapter
has a bounded capacity is declared by its harness, and only bounded ones run the bound tests.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta

import pytest

from project.adapters.memory.denylist import InMemorySessionDenylist
from project.adapters.redis import RedisSessionDenylist
from project.domain.model.ids import SessionId
from project.ports.security import SessionDenylist
from tests.contract._redis import redis_namespace


@dataclass(frozen=True)
class DenylistHarness:
    denylist: SessionDenylist
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


@asynccontextmanager
async def _memory(capacity: int | None) -> AsyncIterator[DenylistHarness]:
    time = _ManualTime()
    denylist = InMemorySessionDenylist(max_entries=capacity or 100_000, monotonic=time)
    yield DenylistHarness(denylist, timedelta(minutes=1), time.pass_time, capacity)


async def _sleep(delta: timedelta) -> None:
    await asyncio.sleep(delta.total_seconds())


@asynccontextmanager
async def _redis(capacity: int | None) -> AsyncIterator[DenylistHarness]:
    assert capacity is None, "Redis bounds its memory itself"
    async with redis_namespace() as namespace:
        denylist = RedisSessionDenylist(namespace.client, namespace.prefix, fail_closed=True)
        yield DenylistHarness(denylist, timedelta(milliseconds=100), _sleep, None)


# name -> factory(capacity): a harness on a fresh, empty adapter, bounded to `capacity`
# entries or unbounded for None. Only adapters listed in BOUNDED can honour a capacity.
ADAPTERS: dict[str, Callable[[int | None], AbstractAsyncContextManager[DenylistHarness]]] = {
    "memory": _memory,
    "redis": _redis,
}
BOUNDED = ["memory"]
CAPACITY = 3


@pytest.fixture(params=list(ADAPTERS))
async def harness(request: pytest.FixtureRequest) -> AsyncIterator[DenylistHarness]:
    async with ADAPTERS[request.param](None) as built:
        yield built


@pytest.fixture(params=BOUNDED)
async def bounded(request: pytest.FixtureRequest) -> AsyncIterator[DenylistHarness]:
    async with ADAPTERS[request.param](CAPACITY) as built:
        yield built


def _session() -> SessionId:
    return SessionId(uuid.uuid4())


async def test_a_session_never_denied_is_not_denied(harness: DenylistHarness) -> None:
    assert await harness.denylist.is_denied(_session()) is False


async def test_a_denied_session_is_denied_at_once(harness: DenylistHarness) -> None:
    session = _session()

    await harness.denylist.deny(session, harness.ttl(15))

    assert await harness.denylist.is_denied(session) is True


async def test_denying_one_session_leaves_others_alone(harness: DenylistHarness) -> None:
    await harness.denylist.deny(_session(), harness.ttl(15))

    assert await harness.denylist.is_denied(_session()) is False


async def test_a_denial_holds_until_just_before_its_ttl(harness: DenylistHarness) -> None:
    session = _session()
    await harness.denylist.deny(session, harness.ttl(15))

    await harness.wait(14)

    assert await harness.denylist.is_denied(session) is True


async def test_a_denial_lapses_once_its_ttl_has_passed(harness: DenylistHarness) -> None:
    session = _session()
    await harness.denylist.deny(session, harness.ttl(15))

    await harness.wait(16)

    assert await harness.denylist.is_denied(session) is False


async def test_denying_again_extends_the_denial(harness: DenylistHarness) -> None:
    session = _session()
    await harness.denylist.deny(session, harness.ttl(15))
    await harness.wait(10)

    await harness.denylist.deny(session, harness.ttl(15))
    await harness.wait(10)

    assert await harness.denylist.is_denied(session) is True


async def test_denying_again_with_a_shorter_ttl_never_shortens_it(
    harness: DenylistHarness,
) -> None:
    session = _session()
    await harness.denylist.deny(session, harness.ttl(15))

    await harness.denylist.deny(session, harness.ttl(1))
    await harness.wait(5)

    assert await harness.denylist.is_denied(session) is True


async def test_a_session_can_be_denied_again_after_lapsing(harness: DenylistHarness) -> None:
    session = _session()
    await harness.denylist.deny(session, harness.ttl(1))
    await harness.wait(2)

    await harness.denylist.deny(session, harness.ttl(1))

    assert await harness.denylist.is_denied(session) is True


async def test_many_concurrent_denials_and_checks_agree(harness: DenylistHarness) -> None:
    denied = [_session() for _ in range(200)]
    untouched = [_session() for _ in range(200)]

    await asyncio.gather(
        *(harness.denylist.deny(session, harness.ttl(15)) for session in denied),
        *(harness.denylist.is_denied(session) for session in untouched),
    )
    answers = await asyncio.gather(
        *(harness.denylist.is_denied(session) for session in denied + untouched)
    )

    assert answers == [True] * len(denied) + [False] * len(untouched)


async def test_a_full_denylist_evicts_the_entry_closest_to_expiry(
    bounded: DenylistHarness,
) -> None:
    soonest, later, latest, newest = (_session() for _ in range(4))
    await bounded.denylist.deny(later, bounded.ttl(10))
    await bounded.denylist.deny(soonest, bounded.ttl(5))
    await bounded.denylist.deny(latest, bounded.ttl(15))

    await bounded.denylist.deny(newest, bounded.ttl(15))

    assert await bounded.denylist.is_denied(soonest) is False
    for kept in (later, latest, newest):
        assert await bounded.denylist.is_denied(kept) is True


async def test_redenying_an_entry_of_a_full_denylist_evicts_nothing(
    bounded: DenylistHarness,
) -> None:
    sessions = [_session() for _ in range(CAPACITY)]
    for minutes, session in enumerate(sessions, start=5):
        await bounded.denylist.deny(session, bounded.ttl(minutes))

    await bounded.denylist.deny(sessions[-1], bounded.ttl(30))

    for session in sessions:
        assert await bounded.denylist.is_denied(session) is True


async def test_lapsed_entries_make_room_before_any_live_one_is_evicted(
    bounded: DenylistHarness,
) -> None:
    lapsing = [_session() for _ in range(CAPACITY - 1)]
    for session in lapsing:
        await bounded.denylist.deny(session, bounded.ttl(1))
    live = _session()
    await bounded.denylist.deny(live, bounded.ttl(15))
    await bounded.wait(2)

    newcomers = [_session() for _ in range(CAPACITY - 1)]
    for session in newcomers:
        await bounded.denylist.deny(session, bounded.ttl(15))

    for session in [live, *newcomers]:
        assert await bounded.denylist.is_denied(session) is True


async def test_a_full_denylist_still_takes_every_new_denial(bounded: DenylistHarness) -> None:
    sessions = [_session() for _ in range(CAPACITY * 4)]

    for minutes, session in enumerate(sessions, start=1):
        await bounded.denylist.deny(session, bounded.ttl(minutes))
        assert await bounded.denylist.is_denied(session) is True

    survivors = [await bounded.denylist.is_denied(session) for session in sessions]
    assert survivors == [False] * (len(sessions) - CAPACITY) + [True] * CAPACITY
