"""project: a self-hostable bookmark and web-archive service, usable as a library.

    import asyncio, project

    async def main() -> None:
        async with project.open_project() as app:
            for user in await app.admin.list_users(None):
                print(user.email)

    asyncio.run(main())
"""

from project.domain.model.context import LOCAL, Context
from project.domain.model.errors import DomainError
from project.entrypoints.library import Project, open_project
from project.entrypoints.settings import Settings, SettingsError, load_settings

__all__ = [
    "LOCAL",
    "Context",
    "DomainError",
    "Project",
    "Settings",
    "SettingsError",
    "load_settings",
    "open_project",
]
