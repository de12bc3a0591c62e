"""A queue of work for background workers (SPEC 3.7): in process, or on Redis (SAQ)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Protocol

JobHandler = Callable[[str], Awaitable[None]]


class JobQueue(Protocol):
    """Delivers job keys to the handler registered for their kind, at least once.

    Only the key travels (a bookmark id); the database holds the job's state, so a message
    delivered twice or lost costs nothing but a sweep (R5). Handlers must be idempotent.
    """

    async def enqueue(self, kind: str, key: str, *, delay: timedelta | None = None) -> None: ...
    async def depth(self) -> int:
        """Messages waiting (for metrics and tests)."""
        ...

    async def aclose(self) -> None: ...


class JobWorker(Protocol):
    """Runs handlers for queued keys until stopped; `concurrency` jobs at once."""

    def register(self, kind: str, handler: JobHandler) -> None: ...
    async def run(self, *, concurrency: int) -> None:
        """Consume until `stop()`; in-flight jobs finish before it returns."""
        ...

    async def stop(self) -> None: ...
    async def aclose(self) -> None: ...
