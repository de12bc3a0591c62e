"""The JobQueue and JobWorker contract (SPEC 3.7, R5), run against every adapter.

Each adapter comes as a harness: a queue, and a way to make a worker on it. In process the
queue is its own worker, so "another worker" is the same object run again; on SAQ it is a
new `SaqJobWorker`, as another process would make, on a queue with a name of its own whose
keys are deleted afterwards. Only adapters listed in SHARED can have several workers at
once. Delays are short and real; the tests assert what happens in which order, never how
long it took, and every wait is bounded by WAIT.
"""

from __future__ import annotations

import asyncio
import secrets
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta

import pytest
import redis.asyncio
from redis.exceptions import RedisError
from saq import Status
from saq.utils import now
from structlog.testing import capture_logs

from project.adapters.memory.queue import InProcessJobQueue
from project.adapters.redis import create_redis
from project.adapters.saq import SaqJobQueue, SaqJobWorker
from project.adapters.saq._consuming import ConsumingQueue
from project.adapters.saq._redis import close_queue
from project.ports.queue import JobHandler, JobQueue, JobWorker
from tests.contract._redis import (  # noqa: F401 (fixtures)
    free_port,
    reachable_redis_url,
    redis_url_fixture,
)

WAIT = 10.0  # seconds: a bound on every wait, never an expected duration
TICK = 0.01
SHORT_DELAY = timedelta(seconds=0.4)
LONG_DELAY = timedelta(seconds=60)
SAQ_POLL = timedelta(seconds=0.1)  # an idle SAQ worker waits this long at a time (bounds stop)
KIND = "archive"


@dataclass(frozen=True)
class QueueHarness:
    queue: JobQueue
    new_worker: Callable[[], JobWorker]


@asynccontextmanager
async def _memory() -> AsyncIterator[QueueHarness]:
    queue = InProcessJobQueue()
    try:
        yield QueueHarness(queue, lambda: queue)
    finally:
        await queue.aclose()


@asynccontextmanager
async def _saq_queue_name(url: str) -> AsyncIterator[str]:
    """A fresh queue name; SAQ keeps its lists under `saq:<name>:` and its jobs under
    `saq:job:<name>:`, which are deleted afterwards."""
    name = f"project-test:{secrets.token_hex(8)}:jobs"
    try:
        yield name
    finally:
        client = create_redis(url)
        for pattern in (f"saq:{name}:*", f"saq:job:{name}:*"):
            keys = [key async for key in client.scan_iter(match=pattern, count=1000)]
            if keys:
                await client.delete(*keys)
        await client.aclose()


@asynccontextmanager
async def _saq() -> AsyncIterator[QueueHarness]:
    url = await reachable_redis_url()
    workers: list[SaqJobWorker] = []
    async with _saq_queue_name(url) as name:
        queue = SaqJobQueue(url, name=name)

        def new_worker() -> JobWorker:
            workers.append(SaqJobWorker(url, name=name, poll=SAQ_POLL))
            return workers[-1]

        try:
            yield QueueHarness(queue, new_worker)
        finally:
            for worker in workers:
                await worker.aclose()
            await queue.aclose()


ADAPTERS: dict[str, Callable[[], AbstractAsyncContextManager[QueueHarness]]] = {
    "memory": _memory,
    "saq": _saq,
}
# Adapters whose workers are separate objects (processes) sharing one queue.
SHARED = ["saq"]


@pytest.fixture(params=list(ADAPTERS))
async def harness(request: pytest.FixtureRequest) -> AsyncIterator[QueueHarness]:
    async with ADAPTERS[request.param]() as built:
        yield built


@pytest.fixture(params=SHARED)
async def shared(request: pytest.FixtureRequest) -> AsyncIterator[QueueHarness]:
    async with ADAPTERS[request.param]() as built:
        yield built


# --- helpers ---------------------------------------------------------------------------------


class Recorder:
    """A handler that records the keys it is given, and those it is done with; `hold()`
    makes it wait at a gate in between."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.finished: list[str] = []
        self.started = asyncio.Event()
        self._gate: asyncio.Event | None = None

    def hold(self) -> asyncio.Event:
        self._gate = asyncio.Event()
        return self._gate

    async def __call__(self, key: str) -> None:
        self.calls.append(key)
        self.started.set()
        if self._gate is not None:
            await self._gate.wait()
        self.finished.append(key)


async def until(condition: Callable[[], bool]) -> None:
    """Wait, at most WAIT seconds, for the workers to make `condition` true."""
    for _ in range(int(WAIT / TICK)):
        if condition():
            return
        await asyncio.sleep(TICK)
    raise AssertionError(f"still not true after {WAIT}s")


def start(worker: JobWorker, concurrency: int = 1) -> asyncio.Task[None]:
    return asyncio.create_task(worker.run(concurrency=concurrency))


@asynccontextmanager
async def running(worker: JobWorker, concurrency: int = 1) -> AsyncIterator[None]:
    task = start(worker, concurrency)
    await asyncio.sleep(0)  # into run(), so that stop() finds it running
    try:
        yield
    finally:
        await asyncio.wait_for(worker.stop(), WAIT)
        await asyncio.wait_for(task, WAIT)


# --- delivery ------------------------------------------------------------------------------


async def test_an_enqueued_key_is_handled_once_by_its_handler(harness: QueueHarness) -> None:
    worker, recorder = harness.new_worker(), Recorder()
    worker.register(KIND, recorder)

    await harness.queue.enqueue(KIND, "bookmark-1")
    async with running(worker):
        await until(lambda: len(recorder.calls) == 1)

    assert recorder.calls == ["bookmark-1"]
    assert await harness.queue.depth() == 0


async def test_each_kind_goes_to_its_own_handler(harness: QueueHarness) -> None:
    worker, archive, mail = harness.new_worker(), Recorder(), Recorder()
    worker.register("archive", archive)
    worker.register("mail", mail)

    for kind, key in [("archive", "a"), ("mail", "a"), ("archive", "b")]:
        await harness.queue.enqueue(kind, key)
    async with running(worker):
        await until(lambda: len(archive.calls) + len(mail.calls) == 3)

    assert (archive.calls, mail.calls) == (["a", "b"], ["a"])


async def test_concurrency_bounds_the_handlers_in_flight(harness: QueueHarness) -> None:
    worker, keys = harness.new_worker(), [f"bookmark-{n}" for n in range(12)]
    in_flight, peak, done = 0, 0, []

    async def handler(key: str) -> None:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.05)
        in_flight -= 1
        done.append(key)

    worker.register(KIND, handler)
    for key in keys:
        await harness.queue.enqueue(KIND, key)
    async with running(worker, concurrency=3):
        await until(lambda: len(done) == len(keys))

    assert sorted(done) == sorted(keys)
    assert peak == 3


async def test_a_delayed_key_is_handled_after_its_delay_not_before(
    harness: QueueHarness,
) -> None:
    worker, recorder = harness.new_worker(), Recorder()
    worker.register(KIND, recorder)

    await harness.queue.enqueue(KIND, "later", delay=SHORT_DELAY)
    await harness.queue.enqueue(KIND, "now")
    async with running(worker):
        await until(lambda: len(recorder.calls) == 2)

    assert recorder.calls == ["now", "later"]


async def test_a_key_already_waiting_is_not_queued_twice(harness: QueueHarness) -> None:
    worker, recorder = harness.new_worker(), Recorder()
    worker.register(KIND, recorder)

    for key in ("twice", "twice", "other"):
        await harness.queue.enqueue(KIND, key)
    assert await harness.queue.depth() == 2
    async with running(worker):
        await until(lambda: "other" in recorder.calls)

    assert recorder.calls == ["twice", "other"]


async def test_a_key_sent_while_its_handler_runs_is_handled_again(
    harness: QueueHarness,
) -> None:
    worker, recorder = harness.new_worker(), Recorder()
    gate = recorder.hold()
    worker.register(KIND, recorder)

    await harness.queue.enqueue(KIND, "busy")
    async with running(worker):
        await asyncio.wait_for(recorder.started.wait(), WAIT)
        await harness.queue.enqueue(KIND, "busy")
        await harness.queue.enqueue(KIND, "busy")  # the second is already waiting
        assert await harness.queue.depth() == 1
        gate.set()
        await until(lambda: len(recorder.calls) == 2)

    assert recorder.calls == ["busy", "busy"]
    assert await harness.queue.depth() == 0


async def test_a_handler_can_queue_its_own_key_for_later(harness: QueueHarness) -> None:
    """The archiving service's retry with backoff: the running job asks to run again."""
    worker, calls = harness.new_worker(), []

    async def handler(key: str) -> None:
        calls.append(key)
        if len(calls) == 1:
            await harness.queue.enqueue(KIND, key, delay=SHORT_DELAY)

    worker.register(KIND, handler)
    await harness.queue.enqueue(KIND, "flaky")
    async with running(worker):
        await until(lambda: len(calls) == 2)

    assert calls == ["flaky", "flaky"]


# --- failures and stopping ------------------------------------------------------------------


async def test_a_failing_handler_does_not_stop_the_worker(harness: QueueHarness) -> None:
    worker, calls = harness.new_worker(), []

    async def handler(key: str) -> None:
        calls.append(key)
        if key == "bad":
            raise RuntimeError("the page exploded")

    worker.register(KIND, handler)
    await harness.queue.enqueue(KIND, "bad")
    await harness.queue.enqueue(KIND, "good")
    with capture_logs() as logs:
        async with running(worker):
            await until(lambda: len(calls) == 2)

    assert calls == ["bad", "good"]
    failures = [log for log in logs if log["event"] == "job_failed"]
    assert [(log["kind"], log["key"]) for log in failures] == [(KIND, "bad")]


async def test_stop_waits_for_the_handler_in_flight(harness: QueueHarness) -> None:
    worker, events = harness.new_worker(), []
    started, gate = asyncio.Event(), asyncio.Event()

    async def handler(key: str) -> None:
        events.append("started")
        started.set()
        await gate.wait()
        events.append("finished")

    worker.register(KIND, handler)
    await harness.queue.enqueue(KIND, "slow")
    running_task = start(worker)
    await asyncio.wait_for(started.wait(), WAIT)

    stopping = asyncio.create_task(worker.stop())
    await asyncio.sleep(0.2)  # time enough for a stop() that does not wait to return
    assert not stopping.done()
    events.append("released")
    gate.set()
    await asyncio.wait_for(stopping, WAIT)
    events.append("stopped")
    await asyncio.wait_for(running_task, WAIT)

    assert events == ["started", "released", "finished", "stopped"]
    assert await harness.queue.depth() == 0


async def test_a_cancelled_run_lets_the_handler_in_flight_finish_then_cancels(
    harness: QueueHarness,
) -> None:
    worker, recorder = harness.new_worker(), Recorder()
    gate = recorder.hold()
    worker.register(KIND, recorder)
    await harness.queue.enqueue(KIND, "slow")
    running_task = start(worker)
    await asyncio.wait_for(recorder.started.wait(), WAIT)

    running_task.cancel()
    await asyncio.sleep(0.1)  # time enough for a run() that does not wait to end
    assert not running_task.done()
    gate.set()

    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(running_task, WAIT)
    assert recorder.finished == ["slow"]
    assert await harness.queue.depth() == 0


async def test_stop_when_not_running_returns_at_once(harness: QueueHarness) -> None:
    await asyncio.wait_for(harness.new_worker().stop(), WAIT)


async def test_depth_counts_the_waiting_messages_delayed_ones_too(
    harness: QueueHarness,
) -> None:
    worker, recorder = harness.new_worker(), Recorder()
    worker.register(KIND, recorder)
    assert await harness.queue.depth() == 0

    await harness.queue.enqueue(KIND, "a")
    await harness.queue.enqueue(KIND, "b")
    await harness.queue.enqueue(KIND, "c", delay=LONG_DELAY)
    await harness.queue.enqueue(KIND, "c")  # already waiting, if later
    assert await harness.queue.depth() == 3

    async with running(worker):
        await until(lambda: len(recorder.calls) == 2)

    assert await harness.queue.depth() == 1


async def test_a_stopped_worker_leaves_the_waiting_messages_to_the_next(
    harness: QueueHarness,
) -> None:
    first, held = harness.new_worker(), Recorder()
    gate = held.hold()
    first.register(KIND, held)
    for key in ("k1", "k2", "k3"):
        await harness.queue.enqueue(KIND, key)

    running_task = start(first)
    await asyncio.wait_for(held.started.wait(), WAIT)
    stopping = asyncio.create_task(first.stop())
    await asyncio.sleep(0.1)  # stop() has begun: no new message is taken from here on
    gate.set()
    await asyncio.wait_for(stopping, WAIT)
    await asyncio.wait_for(running_task, WAIT)

    assert held.finished == ["k1"]
    assert await harness.queue.depth() == 2

    second, recorder = harness.new_worker(), Recorder()
    second.register(KIND, recorder)
    async with running(second):
        await until(lambda: len(recorder.calls) == 2)

    assert recorder.calls == ["k2", "k3"]


# --- several workers on one queue (several processes) ----------------------------------------


async def test_workers_sharing_a_queue_handle_each_key_exactly_once(
    shared: QueueHarness,
) -> None:
    keys = [f"bookmark-{n}" for n in range(20)]
    handled: list[tuple[str, str]] = []

    def handler_of(who: str) -> JobHandler:
        async def handler(key: str) -> None:
            await asyncio.sleep(0.02)
            handled.append((who, key))

        return handler

    one, other = shared.new_worker(), shared.new_worker()
    one.register(KIND, handler_of("one"))
    other.register(KIND, handler_of("other"))
    async with running(one, concurrency=2), running(other, concurrency=2):
        for key in keys:
            await shared.queue.enqueue(KIND, key)
        await until(lambda: len(handled) >= len(keys))

    assert Counter(key for _, key in handled) == Counter(keys)
    assert {who for who, _ in handled} == {"one", "other"}
    assert await shared.queue.depth() == 0


# --- SAQ on Redis: names, kinds, outages ------------------------------------------------------


@pytest.mark.parametrize("name", ["", "job", "job:x", "abort:x", "a b", "jobs*", "x" * 101])
def test_a_saq_queue_name_that_could_reach_other_keys_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match="queue name"):
        SaqJobQueue("redis://127.0.0.1:6379/0", name=name)
    with pytest.raises(ValueError, match="queue name"):
        SaqJobWorker("redis://127.0.0.1:6379/0", name=name)


async def test_a_saq_job_kind_that_could_share_a_job_key_is_refused() -> None:
    queue = SaqJobQueue(f"redis://127.0.0.1:{free_port()}/0", name="project-test-kinds")
    try:
        with pytest.raises(ValueError, match="job kind"):
            await queue.enqueue("archive:rerun", "key")
    finally:
        await queue.aclose()


async def test_the_saq_adapters_pass_their_check_against_a_live_server(redis_url: str) -> None:
    async with _saq_queue_name(redis_url) as name:
        queue, worker = SaqJobQueue(redis_url, name=name), SaqJobWorker(redis_url, name=name)
        try:
            await asyncio.wait_for(queue.check(), WAIT)
            await asyncio.wait_for(worker.check(), WAIT)
        finally:
            await queue.aclose()
            await worker.aclose()


async def test_a_saq_sweep_spares_a_job_taken_but_not_yet_marked_active(redis_url: str) -> None:
    """SAQ's race (tobymao/saq#124, #277): a worker moves a job to the active list, then
    marks it active; a sweep in between must not take it for abandoned."""
    async with _saq_queue_name(redis_url) as name, _consuming(redis_url, name) as consuming:
        queue = SaqJobQueue(redis_url, name=name)
        await queue.enqueue(KIND, "taken")
        job = await consuming.dequeue(timeout=1)
        assert job is not None

        sweeping = asyncio.create_task(consuming.sweep(lock=1, abort=0.5))
        await asyncio.sleep(0.1)  # the sweep has looked once
        job.started, job.attempts = now(), 1  # as SAQ's worker does next
        await job.update(status=Status.ACTIVE)
        swept = await asyncio.wait_for(sweeping, WAIT)
        stored = await consuming.job(job.key)
        await queue.aclose()

    assert swept == []
    assert stored is not None
    assert stored.status == Status.ACTIVE


async def test_a_saq_sweep_puts_back_a_job_taken_and_abandoned_before_it_ran(
    redis_url: str,
) -> None:
    async with _saq_queue_name(redis_url) as name, _consuming(redis_url, name) as consuming:
        queue = SaqJobQueue(redis_url, name=name)
        await queue.enqueue(KIND, "orphan")
        job = await consuming.dequeue(timeout=1)  # and its worker died there
        assert job is not None
        assert await queue.depth() == 0

        swept = await asyncio.wait_for(consuming.sweep(lock=1, abort=0.5), WAIT)
        depth = await queue.depth()
        await queue.aclose()

    assert swept == [job.id]
    assert depth == 1


@asynccontextmanager
async def _consuming(url: str, name: str) -> AsyncIterator[ConsumingQueue]:
    queue = ConsumingQueue(redis.asyncio.Redis.from_url(url), name=name, second_look=0.3)
    try:
        yield queue
    finally:
        await close_queue(queue)


async def test_a_saq_queue_without_redis_fails_its_check_and_drops_messages_saying_so_once() -> (
    None
):
    queue = SaqJobQueue(f"redis://127.0.0.1:{free_port()}/0", name="project-test-dead")
    try:
        with pytest.raises((RedisError, OSError)):
            await asyncio.wait_for(queue.check(), WAIT)
        with capture_logs() as logs:
            for key in ("a", "b", "c"):
                await asyncio.wait_for(queue.enqueue(KIND, key), WAIT)
    finally:
        await queue.aclose()

    assert [(log["event"], log["adapter"]) for log in logs] == [("redis_unavailable", "job_queue")]


async def test_a_saq_worker_without_redis_says_so_once_and_still_stops() -> None:
    worker = SaqJobWorker(
        f"redis://127.0.0.1:{free_port()}/0", name="project-test-dead", poll=SAQ_POLL
    )
    try:
        with capture_logs() as logs:
            async with running(worker, concurrency=2):
                await until(lambda: any(log["event"] == "redis_unavailable" for log in logs))
    finally:
        await worker.aclose()

    outages = [log for log in logs if log["event"] == "redis_unavailable"]
    assert [log["adapter"] for log in outages] == ["job_worker"]
