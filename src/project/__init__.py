"""project: a self-hostable bookmark and web-archive service, usable as a library.

    import asyncio, project

    async def main() -> None:
        async with project.open_project() as app:
            for user in await app.admin.list_users(None):
                print(user.email)

    asyncio.run(main())

Names are imported lazily, so `import project.domain...` does not load the adapters.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from project.domain.model.context import LOCAL, Context
    from project.domain.model.errors import DomainError
    from project.domain.model.pages import Sort
    from project.domain.services.bookmarks import BookmarkDraft
    from project.entrypoints.library import Project, open_project
    from project.entrypoints.settings import Settings, SettingsError, load_settings

_EXPORTS = {
    "LOCAL": "project.domain.model.context",
    "Context": "project.domain.model.context",
    "DomainError": "project.domain.model.errors",
    "Sort": "project.domain.model.pages",
    "BookmarkDraft": "project.domain.services.bookmarks",
    "Project": "project.entrypoints.library",
    "open_project": "project.entrypoints.library",
    "Settings": "project.entrypoints.settings",
    "SettingsError": "project.entrypoints.settings",
    "load_settings": "project.entrypoints.settings",
}

__all__ = [
    "LOCAL",
    "BookmarkDraft",
    "Context",
    "DomainError",
    "Project",
    "Settings",
    "SettingsError",
    "Sort",
    "load_settings",
    "open_project",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'project' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
