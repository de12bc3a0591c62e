"""The rate limiter held in process memory: the embedded default (S30, S31)."""

from __future__ import annotations

import heapq
import time
from collections.abc import Callable
from datetime import timedelta

from project.domain.model.rate_limits import RateLimitDecision

DEFAULT_MAX_KEYS = 100_000


class InMemoryRateLimiter:
    """The `RateLimiter` port in a dict of key -> (window deadline, count).

    A window starts at the first hit of a key and lasts `window`; every hit counts, denied
    ones too, so hammering a limit does not shorten the wait. The size is bounded so a flood
    of distinct keys cannot exhaust memory: lapsed windows go first, then the oldest live one.
    No method awaits, so each call is atomic with respect to other tasks on the loop.
    """

    def __init__(
        self,
        *,
        max_keys: int = DEFAULT_MAX_KEYS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_keys < 1:
            raise ValueError("max_keys must be at least 1")
        self._max_keys = max_keys
        self._monotonic = monotonic
        # Oldest window first (a window that starts again moves to the end).
        self._windows: dict[str, tuple[float, int]] = {}
        # (deadline, key) pairs, soonest first; pairs outdated by a new window stay until popped.
        self._queue: list[tuple[float, str]] = []

    async def hit(
        self, key: str, *, limit: int, window: timedelta, cost: int = 1
    ) -> RateLimitDecision:
        seconds = _check(limit, window, cost)
        now = self._monotonic()
        self._purge(now)
        deadline, count = self._windows.get(key) or self._open(key, now + seconds)
        count += cost
        self._windows[key] = (deadline, count)
        return RateLimitDecision(
            allowed=count <= limit,
            limit=limit,
            remaining=max(0, limit - count),
            reset_after=timedelta(seconds=deadline - now),
        )

    async def reset(self, key: str) -> None:
        self._windows.pop(key, None)

    def _open(self, key: str, deadline: float) -> tuple[float, int]:
        """Start a window of no hits, making room for it."""
        while len(self._windows) >= self._max_keys:
            del self._windows[next(iter(self._windows))]
        if len(self._queue) > 2 * len(self._windows) + 16:
            self._compact()
        heapq.heappush(self._queue, (deadline, key))
        return deadline, 0

    def _purge(self, now: float) -> None:
        while self._queue and self._queue[0][0] <= now:
            deadline, key = heapq.heappop(self._queue)
            current = self._windows.get(key)
            if current is not None and current[0] == deadline:  # not a stale pair
                del self._windows[key]

    def _compact(self) -> None:
        self._queue = [(deadline, key) for key, (deadline, _) in self._windows.items()]
        heapq.heapify(self._queue)


def _check(limit: int, window: timedelta, cost: int) -> float:
    """The window in seconds, once the arguments are known to make sense."""
    seconds = window.total_seconds()
    if limit < 1 or cost < 1 or seconds <= 0:
        raise ValueError("limit and cost must be at least 1 and the window positive")
    return seconds
