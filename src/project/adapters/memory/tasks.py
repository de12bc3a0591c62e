"""Background work on the app's own event loop: the embedded default for `BackgroundTasks`."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import structlog

_log = structlog.get_logger(__name__)


class InProcessTasks:
    """Runs each piece of work as an asyncio task and keeps a reference until it ends (an
    unreferenced task can be collected mid-flight). `drain` waits for the rest at shutdown."""

    def __init__(self) -> None:
        self._running: set[asyncio.Task[None]] = set()

    def spawn(self, name: str, work: Callable[[], Awaitable[None]]) -> None:
        task = asyncio.get_running_loop().create_task(self._run(name, work), name=name)
        self._running.add(task)
        task.add_done_callback(self._running.discard)

    async def drain(self, grace_seconds: float = 30.0) -> None:
        """Wait for running work to end; cancel what is still running after the grace period."""
        if not self._running:
            return
        _, pending = await asyncio.wait(set(self._running), timeout=grace_seconds)
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)

    @property
    def running(self) -> int:
        return len(self._running)

    @staticmethod
    async def _run(name: str, work: Callable[[], Awaitable[None]]) -> None:
        try:
            await work()
        except Exception:
            # The job records its own failure; this is for what escaped it.
            _log.exception("background_task_failed", task=name)
