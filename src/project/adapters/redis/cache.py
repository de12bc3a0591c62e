"""The cache on Redis, shared by every app process (S30, R2)."""

from __future__ import annotations

from datetime import timedelta

import redis.asyncio

from project.adapters.redis._outage import REDIS_ERRORS, OutageLog
from project.adapters.redis._ttl import milliseconds


class RedisCache:
    """The `Cache` port on Redis strings with PX expiry, every key under `prefix`.

    A cache is an optimisation, so an outage never reaches the caller: reads miss, writes
    are dropped and `add` reports that it stored nothing. The outage is logged once when it
    starts and once when it ends.
    """

    def __init__(self, client: redis.asyncio.Redis, prefix: str) -> None:
        self._client = client
        self._prefix = prefix
        self._outage = OutageLog("cache")

    async def get(self, key: str) -> bytes | None:
        try:
            value = await self._client.get(self._prefix + key)
        except REDIS_ERRORS as error:
            self._outage.failed(error, degraded_to="miss")
            return None
        self._outage.succeeded()
        return value.encode() if isinstance(value, str) else value  # str: decode_responses

    async def set(self, key: str, value: bytes, ttl: timedelta) -> None:
        px = milliseconds(ttl)
        try:
            await self._client.set(self._prefix + key, value, px=px)
        except REDIS_ERRORS as error:
            self._outage.failed(error, degraded_to="dropped write")
            return
        self._outage.succeeded()

    async def add(self, key: str, value: bytes, ttl: timedelta) -> bool:
        px = milliseconds(ttl)
        try:
            stored = await self._client.set(self._prefix + key, value, px=px, nx=True)
        except REDIS_ERRORS as error:
            self._outage.failed(error, degraded_to="dropped write")
            return False
        self._outage.succeeded()
        return bool(stored)

    async def delete(self, *keys: str) -> None:
        if not keys:
            return
        try:
            await self._client.delete(*(self._prefix + key for key in keys))
        except REDIS_ERRORS as error:
            self._outage.failed(error, degraded_to="dropped delete")
            return
        self._outage.succeeded()
