"""The queue a SAQ worker consumes: SAQ's Redis queue with two fixes, for outages and sweeps."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import structlog
from saq import Job, Status
from saq.queue.redis import RedisQueue

from project.adapters.saq._redis import REDIS_ERRORS, OutageLog

# How long a worker waits before asking a Redis that just failed again.
OUTAGE_PAUSE = 1.0
# How long a job may sit in the active list without being marked active before a sweep
# takes it for abandoned. A worker marks it within milliseconds of taking it.
SECOND_LOOK = 5.0

# SAQ's own: under the sweep lock, the active list's job ids with their stored jobs.
_SNAPSHOT = """
local id_jobs = {}
if redis.call('EXISTS', KEYS[1]) == 0 then
    redis.call('SETEX', KEYS[1], ARGV[1], 1)
    for i, v in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do
        id_jobs[i] = {v, redis.call('GET', v)}
    end
end
return id_jobs
"""

_log = structlog.get_logger(__name__)


class ConsumingQueue(RedisQueue):
    """SAQ's Redis queue as a worker uses it, with two fixes.

    Outages: SAQ's worker swallows a failed dequeue without a word and asks again at once,
    which against a dead server is a busy loop. Here the failure is logged (once per outage)
    and the next try waits `OUTAGE_PAUSE`.

    Sweeps: a worker moves a job to the active list, then marks it active. SAQ's sweep,
    catching a job between the two, takes it for abandoned and aborts it, so it runs twice
    or is cancelled mid-run (tobymao/saq#124, #277), which is near certain when a worker
    starts on a backlog. Here a job found not marked active (or past its timeout) is swept
    only if it still is after `second_look` seconds: the same run of the same job, still
    in the active list.
    """

    def __init__(self, redis: Any, *, name: str, second_look: float = SECOND_LOOK) -> None:
        super().__init__(redis, name=name)
        self._outage = OutageLog("job_worker")
        self._second_look = second_look
        self._snapshot = self.redis.register_script(_SNAPSHOT)

    async def dequeue(
        self,
        timeout: float = 0.0,  # noqa: ASYNC109 (SAQ's signature)
        poll_interval: float = 0.0,
    ) -> Job | None:
        try:
            job = await super().dequeue(timeout, poll_interval)
        except REDIS_ERRORS as error:
            self._outage.failed(error, degraded_to="paused")
            await asyncio.sleep(OUTAGE_PAUSE)
            return None
        self._outage.succeeded()
        return job

    async def sweep(self, lock: int = 60, abort: float = 5.0) -> list[str]:
        found = await self._snapshot(
            keys=[self.namespace("sweep"), self.namespace("active")], args=[lock]
        )
        jobs = {job_id: self.deserialize(data) for job_id, data in found}
        suspects = {job_id: job for job_id, job in jobs.items() if not _running(job)}
        if not suspects:
            return []
        await asyncio.sleep(self._second_look)
        swept = []
        for job_id, first in suspects.items():
            if await self._still_abandoned(job_id, first):
                await self._sweep_one(job_id, first, abort)
                swept.append(job_id.decode())
        return swept

    async def _still_abandoned(self, job_id: bytes, first: Job | None) -> bool:
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.lpos(self.namespace("active"), job_id.decode())
            pipe.get(job_id)
            position, data = await pipe.execute()
        job = self.deserialize(data)
        if position is None or _running(job):
            return False
        return first is None or (job is not None and job.queued == first.queued)

    async def _sweep_one(self, job_id: bytes, job: Job | None, abort: float) -> None:
        """What SAQ's sweep does with an abandoned job: a never-started one goes back in the
        queue; one that was running is aborted (SAQ attempts one run only)."""
        _log.warning("job_swept", job=job_id.decode())
        if job is None:
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.lrem(self.namespace("active"), 0, job_id.decode())
                pipe.zrem(self.namespace("incomplete"), job_id)
                await pipe.execute()
            return
        await self.abort(job, error=self.swept_error_message)
        with contextlib.suppress(TimeoutError):  # it did not end: aborted all the same
            await job.refresh(abort)
        if job.retryable:
            await self.retry(job, error=self.swept_error_message)
        else:
            await self.finish(job, Status.ABORTED, error=self.swept_error_message)


def _running(job: Job | None) -> bool:
    return job is not None and job.status == Status.ACTIVE and not job.stuck
