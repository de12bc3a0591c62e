"""The rate limiter on Redis: fixed windows counted atomically across processes (S30, S31)."""

from __future__ import annotations

from datetime import timedelta

import redis.asyncio

from project.adapters.redis._outage import REDIS_ERRORS, OutageLog
from project.adapters.redis._ttl import milliseconds
from project.domain.model.rate_limits import RateLimitDecision

# One round trip, run atomically by the server: count the hit, start the window's expiry
# when the key is new (or somehow lost it), and read the time left.
_HIT = """
local count = redis.call('INCRBY', KEYS[1], ARGV[1])
local left = redis.call('PTTL', KEYS[1])
if left < 0 then
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
    left = tonumber(ARGV[2])
end
return {count, left}
"""


class RedisRateLimiter:
    """The `RateLimiter` port on Redis counters that expire with their window.

    Same semantics as the in-memory limiter: a window starts at the first hit of a key,
    every hit counts (denied ones too), and the count starts again when the window ends.
    When Redis fails, `fail_open` lets the attempt through (availability first) or refuses
    it for a whole window (protection first); the outage is logged when it starts and ends.
    """

    def __init__(self, client: redis.asyncio.Redis, prefix: str, *, fail_open: bool = True) -> None:
        self._client = client
        self._prefix = prefix
        self._fail_open = fail_open
        self._hit = client.register_script(_HIT)
        self._outage = OutageLog("rate_limiter")

    async def hit(
        self, key: str, *, limit: int, window: timedelta, cost: int = 1
    ) -> RateLimitDecision:
        if limit < 1 or cost < 1:
            raise ValueError("limit and cost must be at least 1")
        window_ms = milliseconds(window)
        try:
            count, left_ms = await self._hit(keys=[self._prefix + key], args=[cost, window_ms])
        except REDIS_ERRORS as error:
            self._outage.failed(error, degraded_to="allow" if self._fail_open else "deny")
            return self._degraded(limit, window)
        self._outage.succeeded()
        return RateLimitDecision(
            allowed=count <= limit,
            limit=limit,
            remaining=max(0, limit - count),
            reset_after=timedelta(milliseconds=left_ms),
        )

    async def reset(self, key: str) -> None:
        try:
            await self._client.delete(self._prefix + key)
        except REDIS_ERRORS as error:
            self._outage.failed(error, degraded_to="count kept")
            return
        self._outage.succeeded()

    def _degraded(self, limit: int, window: timedelta) -> RateLimitDecision:
        if self._fail_open:
            return RateLimitDecision(allowed=True, limit=limit, remaining=limit, reset_after=window)
        return RateLimitDecision(allowed=False, limit=limit, remaining=0, reset_after=window)
