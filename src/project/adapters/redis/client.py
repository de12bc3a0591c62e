"""The Redis connection shared by the cache, the rate limiter and the session denylist."""

from __future__ import annotations

import redis.asyncio
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

# A dead or unreachable server must fail within about a second (R2), not hang; a loaded
# machine must not make a live one look dead.
SOCKET_TIMEOUT = 1.0
# A burst of calls beyond the pool waits this long for a connection, then degrades.
POOL_SIZE = 50
POOL_TIMEOUT = 3.0


def create_redis(url: str) -> redis.asyncio.Redis:
    """A client on `url` that fails fast and reconnects by itself once the server is back.

    No retries: a rate-limit increment must not be sent twice, and a failing call degrades
    at once. Pooled connections are checked before use, so one left broken by an outage is
    replaced on the next call rather than failing it. The pool is bounded and blocking, so
    a burst of calls queues for a connection instead of opening one each or failing.
    """
    pool = redis.asyncio.BlockingConnectionPool.from_url(
        url,
        max_connections=POOL_SIZE,
        timeout=POOL_TIMEOUT,
        socket_connect_timeout=SOCKET_TIMEOUT,
        socket_timeout=SOCKET_TIMEOUT,
        retry=Retry(NoBackoff(), 0),
    )
    return redis.asyncio.Redis.from_pool(pool)


async def check_redis(client: redis.asyncio.Redis) -> None:
    """PING the server; raises (`RedisError` or `OSError`) when it does not answer."""
    await client.ping()
