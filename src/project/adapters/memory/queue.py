"""Jobs on the app's own event loop: the embedded `JobQueue` and `JobWorker` in one object."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import timedelta

import structlog

from project.ports.queue import JobHandler

_log = structlog.get_logger(__name__)

_Message = tuple[str, str]  # (kind, key)


@dataclass(eq=False)
class _Run:
    stopping: asyncio.Event = field(default_factory=asyncio.Event)
    stopped: asyncio.Event = field(default_factory=asyncio.Event)
    handling: set[asyncio.Task[None]] = field(default_factory=set)


class InProcessJobQueue:
    """A FIFO of (kind, key) messages and the consumers that hand them to their handlers.

    A message already waiting (queued or delayed) is not queued twice; one whose handler is
    running is, so work asked for during a run is done again after it. Messages live as
    long as the process: the database's sweeper re-enqueues whatever a restart loses (R5).
    """

    def __init__(self) -> None:
        self._ready: asyncio.Queue[_Message] = asyncio.Queue()
        self._waiting: set[_Message] = set()  # ready or delayed
        self._delayed: dict[_Message, asyncio.TimerHandle] = {}
        self._handlers: dict[str, JobHandler] = {}
        self._run: _Run | None = None

    async def enqueue(self, kind: str, key: str, *, delay: timedelta | None = None) -> None:
        message = (kind, key)
        if message in self._waiting:
            return
        self._waiting.add(message)
        seconds = delay.total_seconds() if delay is not None else 0.0
        if seconds > 0:
            loop = asyncio.get_running_loop()
            self._delayed[message] = loop.call_later(seconds, self._release, message)
        else:
            self._ready.put_nowait(message)

    async def depth(self) -> int:
        return len(self._waiting)

    def register(self, kind: str, handler: JobHandler) -> None:
        self._handlers[kind] = handler

    async def run(self, *, concurrency: int) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        if self._run is not None:
            raise RuntimeError("the queue is already running")
        run = self._run = _Run()
        consumers = [asyncio.create_task(self._consume(run)) for _ in range(concurrency)]
        try:
            await run.stopping.wait()
        finally:
            # Idle consumers are waiting in `get()`, which leaves its message queued when
            # cancelled; busy ones are shielded from it, and their handlers are awaited.
            for consumer in consumers:
                consumer.cancel()
            await asyncio.gather(*consumers, return_exceptions=True)
            await asyncio.gather(*run.handling, return_exceptions=True)
            self._run = None
            run.stopped.set()

    async def stop(self) -> None:
        run = self._run
        if run is None:
            return
        run.stopping.set()
        await run.stopped.wait()

    async def aclose(self) -> None:
        """Stop, and forget the delayed messages (their timers would outlive the queue)."""
        await self.stop()
        for timer in self._delayed.values():
            timer.cancel()
        self._waiting.difference_update(self._delayed)
        self._delayed.clear()

    def _release(self, message: _Message) -> None:
        del self._delayed[message]
        self._ready.put_nowait(message)

    async def _consume(self, run: _Run) -> None:
        while True:
            message = await self._ready.get()
            self._waiting.discard(message)
            handling = asyncio.create_task(self._handle(*message))
            run.handling.add(handling)
            handling.add_done_callback(run.handling.discard)
            await asyncio.shield(handling)

    async def _handle(self, kind: str, key: str) -> None:
        handler = self._handlers.get(kind)
        if handler is None:
            _log.error("job_kind_unregistered", kind=kind, key=key)
            return
        try:
            await handler(key)
        except Exception:
            # The handler records its own failure in the database; this is what escaped it.
            _log.exception("job_failed", kind=kind, key=key)
