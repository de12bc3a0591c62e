"""Running jobs from Redis through SAQ: the production `JobWorker` (SPEC 3.7, R5)."""

from __future__ import annotations

import asyncio
import math
import signal
from collections.abc import Sequence
from datetime import timedelta

import redis.asyncio
import structlog
from saq import Worker
from saq.types import Context

from project.adapters.saq._consuming import ConsumingQueue
from project.adapters.saq._redis import DISPATCH, close_queue, open_queue
from project.ports.queue import JobHandler

DEFAULT_GRACE = timedelta(seconds=30)
DEFAULT_POLL = timedelta(seconds=1)

_log = structlog.get_logger(__name__)


class SaqJobWorker:
    """The `JobWorker` port: a SAQ worker whose one function runs the handler registered
    for a job's kind, with the job's key.

    Workers in several processes share a queue; SAQ hands each job to one of them. An idle
    worker waits for a job in spans of `poll`. `stop()` takes no new job once those waits
    end, and waits up to `grace` for the running ones, which SAQ then cancels and puts back
    in the queue. A failed job is logged and marked failed in SAQ, never retried there: the
    database decides (R5). Cancelling `run()` stops the same way, then cancels.
    """

    def __init__(
        self,
        url_or_client: str | redis.asyncio.Redis,
        *,
        name: str,
        grace: timedelta = DEFAULT_GRACE,
        poll: timedelta = DEFAULT_POLL,
    ) -> None:
        if grace < timedelta(seconds=1):
            raise ValueError("grace must be at least a second (SAQ counts whole seconds)")
        if poll <= timedelta(0):
            raise ValueError("poll must be positive")
        self._poll = poll.total_seconds()
        self._grace = math.ceil(grace.total_seconds())
        self._queue, self._owns_client = open_queue(
            url_or_client, name, blocking_for=self._poll, queue_class=ConsumingQueue
        )
        self._handlers: dict[str, JobHandler] = {}
        self._worker: _Worker | None = None

    def register(self, kind: str, handler: JobHandler) -> None:
        self._handlers[kind] = handler

    async def run(self, *, concurrency: int) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        if self._worker is not None:
            raise RuntimeError("the worker is already running")
        await self._queue.connect()
        self._worker = _Worker(
            self._queue,
            [(DISPATCH, self._dispatch)],
            concurrency=concurrency,
            dequeue_timeout=self._poll,
            shutdown_grace_period_s=self._grace,
        )
        try:
            await self._worker.start()
        finally:
            self._worker = None
        task = asyncio.current_task()
        if task is not None and task.cancelling():
            raise asyncio.CancelledError  # SAQ stops gracefully on it, but swallows it

    async def stop(self) -> None:
        if self._worker is not None:
            await self._worker.stop()

    async def check(self) -> None:
        """PING the server; raises (`RedisError` or `OSError`) when it does not answer."""
        await self._queue.redis.ping()

    async def aclose(self) -> None:
        await self.stop()
        if self._owns_client:
            await close_queue(self._queue)

    async def _dispatch(self, ctx: Context, *, kind: str, key: str) -> None:
        handler = self._handlers.get(kind)
        if handler is None:
            _log.error("job_kind_unregistered", kind=kind, key=key)
            raise LookupError(f"no handler for job kind {kind!r}")
        try:
            await handler(key)
        except Exception:
            # The handler records its own failure in the database; this is what escaped it.
            # Raised again so that SAQ marks the job failed (it does not retry it).
            _log.exception("job_failed", kind=kind, key=key)
            raise


class _Worker(Worker[Context]):
    """SAQ's worker for one `run()`, with two changes. It installs no signal handlers: the
    entrypoint owns the signals and calls `stop()`. And `stop()` ends the upkeep loops at
    once (they sleep up to a minute, and SAQ would wait for them) while the jobs finish."""

    SIGNALS: list[signal.Signals] = []
    _upkeep_tasks: Sequence[asyncio.Task[None]] = ()

    async def upkeep(self) -> list[asyncio.Task[None]]:
        tasks = await super().upkeep()
        self._upkeep_tasks = tasks
        return tasks

    async def stop(self) -> None:
        self.event.set()  # no new jobs
        for task in self._upkeep_tasks:
            task.cancel()
        await super().stop()
