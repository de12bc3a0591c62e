"""The cache held in process memory: the embedded default (S30, R2)."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import timedelta

DEFAULT_MAX_ENTRIES = 10_000


class InMemoryCache:
    """The `Cache` port in an ordered dict of key -> (value, monotonic deadline).

    The size is bounded so a flood of distinct keys cannot exhaust memory; when full, the
    least recently used entry goes first. Expired entries are dropped when met.
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
        # Least recently used first.
        self._entries: OrderedDict[str, tuple[bytes, float]] = OrderedDict()

    async def get(self, key: str) -> bytes | None:
        if not self._is_live(key, self._monotonic()):
            return None
        self._entries.move_to_end(key)
        return self._entries[key][0]

    async def set(self, key: str, value: bytes, ttl: timedelta) -> None:
        self._store(key, value, _seconds(ttl))

    async def add(self, key: str, value: bytes, ttl: timedelta) -> bool:
        seconds = _seconds(ttl)
        if self._is_live(key, self._monotonic()):
            return False
        self._store(key, value, seconds)
        return True

    async def delete(self, *keys: str) -> None:
        for key in keys:
            self._entries.pop(key, None)

    def _is_live(self, key: str, now: float) -> bool:
        entry = self._entries.get(key)
        if entry is None:
            return False
        if entry[1] <= now:
            del self._entries[key]
            return False
        return True

    def _store(self, key: str, value: bytes, seconds: float) -> None:
        self._entries[key] = (value, self._monotonic() + seconds)
        self._entries.move_to_end(key)
        while len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)


def _seconds(ttl: timedelta) -> float:
    seconds = ttl.total_seconds()
    if seconds <= 0:
        raise ValueError("a cache ttl must be positive")
    return seconds
