"""Enqueuing jobs on Redis through SAQ: the production `JobQueue` (SPEC 3.7, R5)."""

from __future__ import annotations

import math
import re
import time
from datetime import timedelta

import redis.asyncio
import structlog
from saq import Job, Status

from project.adapters.saq._redis import DISPATCH, REDIS_ERRORS, OutageLog, close_queue, open_queue

DEFAULT_TIMEOUT = timedelta(seconds=120)

_KIND = re.compile(r"[A-Za-z0-9_.-]+")
_WAITING = {Status.NEW, Status.QUEUED}
_RUNNING = {Status.ACTIVE, Status.ABORTING}

_log = structlog.get_logger(__name__)


def _job_keys(kind: str, key: str) -> tuple[str, str]:
    """The two SAQ job keys a (kind, key) message may take: its own, and its rerun's.

    SAQ enqueues nothing under a job key that is waiting *or running*. A message sent while
    its job runs (a handler asking for a later retry, say) takes the rerun key instead, so
    it is not lost. A kind never holds '~' or ':', so no two messages share a job key.
    """
    if not _KIND.fullmatch(kind):
        raise ValueError(f"job kind {kind!r}: letters, digits, '_', '.' or '-' only")
    return f"{kind}:{key}", f"{kind}~rerun:{key}"


class SaqJobQueue:
    """The `JobQueue` port on a SAQ queue in Redis: one `dispatch` job per message.

    A message already waiting (queued or delayed) is not queued twice; one whose job is
    running is queued once more. SAQ never retries a job (one attempt): the database decides
    retries and its sweeper re-enqueues what was lost (R5). Likewise a message that cannot
    be sent while Redis is down is dropped, and the outage logged once (R2): the sweeper
    sends it again. `timeout` bounds a job's run; SAQ cancels it then.
    """

    def __init__(
        self,
        url_or_client: str | redis.asyncio.Redis,
        *,
        name: str,
        timeout: timedelta = DEFAULT_TIMEOUT,
    ) -> None:
        if timeout <= timedelta(0):
            raise ValueError("a job timeout must be positive")
        self._queue, self._owns_client = open_queue(url_or_client, name)
        self._timeout = math.ceil(timeout.total_seconds())
        self._outage = OutageLog("job_queue")

    async def enqueue(self, kind: str, key: str, *, delay: timedelta | None = None) -> None:
        keys = _job_keys(kind, key)
        try:
            await self._enqueue(keys, kind, key, _scheduled(delay))
        except REDIS_ERRORS as error:
            self._outage.failed(error, degraded_to="dropped message")
            return
        self._outage.succeeded()

    async def depth(self) -> int:
        # Raises when Redis is down. SAQ's `incomplete` set holds the waiting (queued and
        # delayed) and the running jobs.
        incomplete = await self._queue.count("incomplete")
        running = await self._queue.count("active")
        return max(incomplete - running, 0)

    async def check(self) -> None:
        """PING the server; raises (`RedisError` or `OSError`) when it does not answer."""
        await self._queue.redis.ping()

    async def aclose(self) -> None:
        if self._owns_client:
            await close_queue(self._queue)

    async def _enqueue(self, keys: tuple[str, str], kind: str, key: str, scheduled: int) -> None:
        stored = await self._queue.jobs(keys)
        if any(job is not None and job.status in _WAITING for job in stored):
            return
        for job_key, job in zip(keys, stored, strict=True):
            if job is None or job.status not in _RUNNING:
                # Atomic in SAQ: a message that raced us here leaves this a no-op.
                await self._queue.enqueue(self._job(job_key, kind, key, scheduled))
                return
        # Both running (rare): dropped; the sweeper sends it again if the work is still due.
        _log.info("job_message_dropped", kind=kind, key=key, reason="running twice")

    def _job(self, job_key: str, kind: str, key: str, scheduled: int) -> Job:
        return Job(
            function=DISPATCH,
            kwargs={"kind": kind, "key": key},
            key=job_key,
            timeout=self._timeout,
            retries=1,  # attempts, not retries: SAQ runs it once
            scheduled=scheduled,
        )


def _scheduled(delay: timedelta | None) -> int:
    """SAQ's `scheduled` (epoch seconds; 0 is now), rounded up so a job never runs early."""
    if delay is None or delay <= timedelta(0):
        return 0
    return math.ceil(time.time() + delay.total_seconds())
