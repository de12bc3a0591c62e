"""Run one command's coroutine against a freshly built project, on its own event loop."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from project.adapters.sql import mask_url
from project.entrypoints.cli._errors import database_in_use
from project.entrypoints.library import Project, open_project
from project.entrypoints.logging import configure_logging
from project.entrypoints.settings import Settings, load_settings

T = TypeVar("T")


def settings() -> Settings:
    """The validated settings from the environment (`PROJECT_*`), with logging set up by them:
    warnings only, to stderr (`serve` and `worker` log at the configured level)."""
    loaded = load_settings()
    configure_logging(loaded, at_least=logging.WARNING)
    database_in_use.set(mask_url(loaded.resolved_database_url))
    return loaded


def run(action: Callable[[Project], Awaitable[T]], loaded: Settings | None = None) -> T:
    """Build the project (from the environment unless `loaded` is given), run `action` with it
    on a fresh event loop, close it, and return the action's result.

    An embedded (SQLite) database is created or upgraded first, as `project serve` does.
    """
    return asyncio.run(_with_project(loaded or settings(), action))


async def _with_project(loaded: Settings, action: Callable[[Project], Awaitable[T]]) -> T:
    async with open_project(loaded) as project:
        return await action(project)
