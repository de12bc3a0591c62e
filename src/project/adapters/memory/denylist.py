"""The session denylist held in process memory: the embedded default (S5)."""

from __future__ import annotations

import heapq
import time
from collections.abc import Callable
from datetime import timedelta

from project.domain.model.ids import SessionId

DEFAULT_MAX_ENTRIES = 100_000


class InMemorySessionDenylist:
    """The `SessionDenylist` port in a dict of session id -> monotonic deadline.

    The size is bounded so a flood of revocations cannot exhaust memory; when full, the
    entry closest to expiry goes first, as its tokens are the next to die on their own.
    No method awaits, so each call is atomic with respect to other tasks on the loop.
    """

    def __init__(
        self,
        *,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self._max_entries = max_entries
        self._monotonic = monotonic
        self._deadlines: dict[SessionId, float] = {}
        # (deadline, id) pairs, soonest first; pairs outdated by a later deny stay until popped.
        self._queue: list[tuple[float, SessionId]] = []

    async def deny(self, session_id: SessionId, ttl: timedelta) -> None:
        now = self._monotonic()
        deadline = now + ttl.total_seconds()
        if deadline <= now or deadline <= self._deadlines.get(session_id, now):
            return  # never shorten a denial
        self._purge(now)
        if session_id not in self._deadlines and len(self._deadlines) >= self._max_entries:
            self._evict_soonest()
        self._deadlines[session_id] = deadline
        heapq.heappush(self._queue, (deadline, session_id))
        if len(self._queue) > 2 * len(self._deadlines) + 16:
            self._compact()

    async def is_denied(self, session_id: SessionId) -> bool:
        now = self._monotonic()
        self._purge(now)
        return session_id in self._deadlines

    def _purge(self, now: float) -> None:
        while self._queue and self._queue[0][0] <= now:
            self._drop(*heapq.heappop(self._queue))

    def _evict_soonest(self) -> None:
        while self._queue:
            deadline, session_id = heapq.heappop(self._queue)
            if self._drop(deadline, session_id):
                return

    def _drop(self, deadline: float, session_id: SessionId) -> bool:
        """Forget the entry if this queue pair is still its current deadline."""
        if self._deadlines.get(session_id) != deadline:
            return False
        del self._deadlines[session_id]
        return True

    def _compact(self) -> None:
        self._queue = [(deadline, sid) for sid, deadline in self._deadlines.items()]
        heapq.heapify(self._queue)
