"""Work that outlives the request that asked for it (imports now; archiving builds on it)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol


class BackgroundTasks(Protocol):
    """Runs a coroutine after the caller returns. The database records the job's state, so a
    task lost with its process leaves a job a later sweep can find (R5)."""

    def spawn(self, name: str, work: Callable[[], Awaitable[None]]) -> None: ...
