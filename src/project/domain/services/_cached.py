"""Cache-aside for the hot reads, over the `Cache` port (docs/performance.md, "Caching").

Values are domain Structs in msgpack. Keys come from `domain.model.cache_keys` and name a
version; a writer calls `bump` after it commits, so the next read misses and loads again.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, TypeVar

import msgspec

from project.domain.model.cache_keys import VERSION_TTL, version_key
from project.ports.cache import Cache

T = TypeVar("T")

_decoders: dict[Any, msgspec.msgpack.Decoder[Any]] = {}


class ReadCache:
    """Reads through the cache, or straight from the loader when there is no cache.

    Never raises for the cache's sake: the port misses when its server is down (R2), and an
    entry that does not decode (written by another release) is a miss too.
    """

    def __init__(self, cache: Cache | None = None) -> None:
        self._cache = cache

    async def version(self, scope: str) -> str:
        """The scope's current version: one cache round trip, two when it must be created."""
        if self._cache is None:
            return ""
        key = version_key(scope)
        if (stored := await self._cache.get(key)) is not None:
            return stored.decode()
        fresh = _new_version()
        if await self._cache.add(key, fresh.encode(), VERSION_TTL):
            return fresh
        # Another process created (or a writer bumped) it meanwhile; without a cache at all,
        # the fresh one stands for this read alone and is a miss.
        raced = await self._cache.get(key)
        return raced.decode() if raced is not None else fresh

    async def bump(self, *scopes: str) -> None:
        """Move the scopes on after a committed write, so no read finds what came before."""
        if self._cache is None:
            return
        for scope in dict.fromkeys(scopes):
            await self._cache.set(version_key(scope), _new_version().encode(), VERSION_TTL)

    async def get_or_load(
        self, key: str, kind: type[T], load: Callable[[], Awaitable[T]], ttl: timedelta
    ) -> T:
        """The value stored under `key`, or what `load` returns (then stored). Errors from
        `load` propagate and store nothing."""
        if self._cache is None:
            return await load()
        if (stored := await self._cache.get(key)) is not None:
            try:
                value: T = _decoder(kind).decode(stored)
            except msgspec.DecodeError:
                pass
            else:
                return value
        value = await load()
        await self._cache.set(key, msgspec.msgpack.encode(value), ttl)
        return value


def _new_version() -> str:
    return secrets.token_hex(8)


def _decoder(kind: Any) -> msgspec.msgpack.Decoder[Any]:
    decoder = _decoders.get(kind)
    if decoder is None:
        decoder = _decoders[kind] = msgspec.msgpack.Decoder(kind)
    return decoder
