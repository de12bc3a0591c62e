"""`project worker`: the archive worker in its own process, until SIGTERM or Ctrl-C."""

from __future__ import annotations

import asyncio
import signal
from typing import Annotated

import typer

from project.entrypoints.cli import _runner
from project.entrypoints.library import open_project
from project.entrypoints.logging import configure_logging
from project.entrypoints.settings import Settings
from project.entrypoints.worker import run_worker


def worker(
    concurrency: Annotated[
        int | None,
        typer.Option(min=1, max=256, help="Jobs at once (default PROJECT_WORKER_CONCURRENCY)."),
    ] = None,
) -> None:
    """Archive saved pages in the background: fetch, extract, snapshot, thumbnails."""
    settings = _runner.settings()
    configure_logging(settings)  # the configured level; JSON lines in production (S32)
    asyncio.run(_work(settings, concurrency or settings.worker_concurrency))


async def _work(settings: Settings, concurrency: int) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    async with open_project(settings) as project:
        typer.echo(f"worker running with {concurrency} at once; stop with Ctrl-C", err=True)
        await run_worker(project, concurrency=concurrency, stop=stop)
