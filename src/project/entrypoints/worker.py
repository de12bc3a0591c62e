"""The archive worker: consume the queue and sweep the database for due work (SPEC 3.7, R5).

`project worker` runs it in its own process (production, with Redis); `project serve` runs
it inside the app when the queue is in process (the embedded default).
"""

from __future__ import annotations

import asyncio
import contextlib

import structlog

from project.domain.model.archiving import ARCHIVE_JOB
from project.entrypoints.library import Project

SWEEP_SECONDS = 5.0
_log = structlog.get_logger(__name__)


async def run_worker(
    project: Project, *, concurrency: int, stop: asyncio.Event, sweep_seconds: float = SWEEP_SECONDS
) -> None:
    """Work until `stop` is set; in-flight jobs finish (a killed process leaves leases that
    run out, and a later sweep hands those jobs out again)."""
    worker = project.container.worker()
    worker.register(ARCHIVE_JOB, project.archive.process)
    consuming = asyncio.create_task(worker.run(concurrency=concurrency), name="worker")
    sweeping = asyncio.create_task(_sweep(project, stop, sweep_seconds), name="sweeper")
    _log.info("worker_started", concurrency=concurrency)
    try:
        await stop.wait()
    finally:
        sweeping.cancel()
        await worker.stop()
        with contextlib.suppress(asyncio.CancelledError):
            await sweeping
        await consuming
        _log.info("worker_stopped")


async def _sweep(project: Project, stop: asyncio.Event, every: float) -> None:
    while not stop.is_set():
        try:
            handed_out = await project.archive.sweep()
        except Exception:  # the database may be down for a while (R3); try again later
            _log.exception("archive_sweep_failed")
        else:
            if handed_out:
                _log.info("archive_sweep", handed_out=handed_out)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every)
