"""The Redis side of the SAQ adapters: clients fit for a queue, names, and outage logging."""

from __future__ import annotations

import asyncio
import contextlib
import re

import redis.asyncio
import structlog
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialWithJitterBackoff, NoBackoff
from redis.exceptions import RedisError
from saq.queue.redis import RedisQueue

# The errors of an unreachable or failing server.
REDIS_ERRORS = (RedisError, OSError)
# The one SAQ function: a job's kwargs say which registered handler runs it.
DISPATCH = "dispatch"

# SAQ keys a queue's lists under `saq:<name>:`, its jobs under `saq:job:<name>:` and abort
# flags under `saq:abort:`: a name must not begin with those words, nor hold spaces or glob
# characters. Colons are fine ("project:archive").
_NAME = re.compile(r"(?!(job|abort)(:|$))[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}")
# A queue client answers or fails at once, so an outage never holds up a request (R2);
# a burst of enqueues waits for one of a bounded set of connections.
_QUEUE_TIMEOUT = 0.5
_QUEUE_POOL_SIZE = 50
# A worker's client waits in BLMOVE for `poll` seconds; its reads must outlast that.
_WORKER_READ_MARGIN = 10.0
_CONNECT_TIMEOUT = 5.0
_CLOSE_TIMEOUT = 5.0

_log = structlog.get_logger(__name__)


def open_queue(
    url_or_client: str | redis.asyncio.Redis,
    name: str,
    *,
    blocking_for: float = 0.0,
    queue_class: type[RedisQueue] = RedisQueue,
) -> tuple[RedisQueue, bool]:
    """A SAQ queue named `name`, and whether its client is ours to close.

    `blocking_for` is the longest blocking read the caller makes (a worker's poll); a given
    client must allow it, and must return bytes, as SAQ decodes them itself.
    """
    if not _NAME.fullmatch(name):
        raise ValueError(f"queue name {name!r}: 1-100 letters, digits, '_', '.', ':' or '-'")
    if isinstance(url_or_client, str):
        return queue_class(_client(url_or_client, blocking_for), name=name), True
    _check_client(url_or_client, blocking_for)
    return queue_class(url_or_client, name=name), False


async def close_queue(queue: RedisQueue) -> None:
    """Close a queue's client and its connections.

    SAQ's `disconnect()` first unsubscribes its pub/sub, connecting to do so even when it
    never subscribed, so it fails when Redis is down: it gets a bounded try, then the
    client is closed regardless.
    """
    with contextlib.suppress(*REDIS_ERRORS, TimeoutError):
        await asyncio.wait_for(queue.disconnect(), _CLOSE_TIMEOUT)
    await queue.redis.aclose()


def _client(url: str, blocking_for: float) -> redis.asyncio.Redis:
    if not blocking_for:
        pool = redis.asyncio.BlockingConnectionPool.from_url(
            url,
            max_connections=_QUEUE_POOL_SIZE,
            timeout=_QUEUE_TIMEOUT * 2,
            socket_connect_timeout=_QUEUE_TIMEOUT,
            socket_timeout=_QUEUE_TIMEOUT,
            retry=Retry(NoBackoff(), 0),
        )
        return redis.asyncio.Redis.from_pool(pool)
    # A worker rides out a blip with backoff instead of failing its loop at once.
    return redis.asyncio.Redis.from_url(
        url,
        socket_connect_timeout=_CONNECT_TIMEOUT,
        socket_timeout=blocking_for + _WORKER_READ_MARGIN,
        socket_keepalive=True,
        retry=Retry(ExponentialWithJitterBackoff(base=0.1, cap=2.0), 3),
    )


def _check_client(client: redis.asyncio.Redis, blocking_for: float) -> None:
    options = client.connection_pool.connection_kwargs
    if options.get("decode_responses"):
        raise ValueError("SAQ needs a Redis client that returns bytes (decode_responses off)")
    read_timeout = options.get("socket_timeout")
    if blocking_for and read_timeout is not None and read_timeout <= blocking_for:
        raise ValueError(
            f"the client's socket_timeout ({read_timeout}s) must exceed the worker's "
            f"poll ({blocking_for}s), or every idle wait for a job times out"
        )


class OutageLog:
    """Logs an outage once when it starts and once when it ends, not on every call."""

    def __init__(self, adapter: str) -> None:
        self._adapter = adapter
        self._down = False

    def failed(self, error: BaseException, *, degraded_to: str) -> None:
        if self._down:
            return
        self._down = True
        # The type only: driver messages can carry hosts and credentials.
        _log.warning(
            "redis_unavailable",
            adapter=self._adapter,
            error=type(error).__name__,
            degraded_to=degraded_to,
        )

    def succeeded(self) -> None:
        if self._down:
            self._down = False
            _log.info("redis_recovered", adapter=self._adapter)
