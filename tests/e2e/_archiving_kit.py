"""What the archiving end-to-end tests share: their settings and waiting for a job to end."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from project.entrypoints.settings import Environment, Settings
from tests.e2e._http_kit import Client, Login

DONE = {"archived", "failed"}


def archive_settings(tmp_path: Path, database_url: str | None, **extra: Any) -> Settings:
    return Settings(
        env=Environment.TEST, data_dir=tmp_path / "data", database_url=database_url, **extra
    ).resolve()


async def settled(client: Client, login: Login, bookmark_id: str) -> dict[str, Any]:
    """The bookmark once its archive job has ended (archived or failed), polled for 10 s."""
    for _ in range(100):
        body: dict[str, Any] = (
            await client.get(f"/api/v1/bookmarks/{bookmark_id}", headers=login.headers)
        ).json()
        if body["archive_status"] in DONE:
            return body
        await asyncio.sleep(0.1)
    raise AssertionError(f"archiving did not finish: {body}")
