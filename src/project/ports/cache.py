"""Short-lived shared state: the cache and the rate limiter (SPEC 2, REQUIREMENTS S30, S31, R2)."""

from __future__ import annotations

from datetime import timedelta
from typing import Protocol

from project.domain.model.rate_limits import RateLimitDecision


class Cache(Protocol):
    """A bytes cache with expiry, shared by every app process in production.

    A cache is an optimisation: when the backing server is down, reads miss and writes are
    dropped, never raised (R2). Keys are plain strings; adapters add their own namespace.
    """

    async def get(self, key: str) -> bytes | None: ...
    async def set(self, key: str, value: bytes, ttl: timedelta) -> None: ...
    async def add(self, key: str, value: bytes, ttl: timedelta) -> bool:
        """Store only if the key is absent; True when this call stored it."""
        ...

    async def delete(self, *keys: str) -> None: ...


class RateLimiter(Protocol):
    """Counts attempts per key in fixed windows, atomically across processes (S30, S31)."""

    async def hit(
        self, key: str, *, limit: int, window: timedelta, cost: int = 1
    ) -> RateLimitDecision:
        """Count `cost` attempts now and say whether the total stays within `limit`."""
        ...

    async def reset(self, key: str) -> None:
        """Forget the key's count (a successful login clears its failures)."""
        ...
