"""`project worker` as real processes on PostgreSQL and Redis (R5): a worker killed with
SIGKILL in the middle of its jobs loses nothing; the next one finishes every bookmark."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from project.adapters.sql import upgrade_async
from project.domain.model.bookmarks import ArchiveStatus
from project.domain.model.context import LOCAL
from project.domain.model.ids import BookmarkId
from project.domain.model.principal import Principal
from project.domain.model.users import Role
from project.domain.services.bookmarks import BookmarkDraft
from project.entrypoints.library import open_project
from project.entrypoints.settings import load_settings
from tests.contract._redis import redis_namespace
from tests.contract._redis import redis_url_fixture as redis_url_fixture
from tests.e2e._site import Site, serving

CONSOLE_SCRIPT = Path(sys.executable).parent / "project"
BOOKMARKS = 6
pytestmark = pytest.mark.postgres


@pytest.fixture
def site() -> Iterator[Site]:
    with serving() as running:
        running.slow_seconds = 3.0
        yield running


def _start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            [str(CONSOLE_SCRIPT), "worker", "--concurrency", "4"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


async def _statuses(
    environ: dict[str, str], owner: Principal, ids: list[BookmarkId]
) -> list[ArchiveStatus]:
    async with open_project(load_settings(environ), migrate=False) as project:
        return [(await project.bookmarks.get(owner, i)).archive_status for i in ids]


async def test_a_worker_killed_mid_job_leaves_nothing_lost_the_next_one_finishes_R5(
    tmp_path: Path, site: Site, redis_url: str, fresh_postgres_url: str
) -> None:
    await upgrade_async(fresh_postgres_url)
    async with redis_namespace() as namespace:
        environ = {
            key: value for key, value in os.environ.items() if not key.startswith("PROJECT_")
        } | {
            "PROJECT_DATA_DIR": str(tmp_path / "data"),
            "PROJECT_DATABASE_URL": fresh_postgres_url,
            "PROJECT_REDIS_URL": redis_url,
            "PROJECT_REDIS_PREFIX": namespace.prefix,
            "PROJECT_FETCH_ALLOWED_NETWORKS": "127.0.0.0/8",
            "PROJECT_FETCH_ALLOWED_PORTS": str(site.port),
            "PROJECT_ARCHIVE_LEASE_SECONDS": "2",
            "PROJECT_ARCHIVE_RETRY_BASE_SECONDS": "0.5",
        }
        async with open_project(load_settings(environ)) as project:
            user = await project.admin.create_user(
                None, "ann@example.com", "a long enough passphrase 42", role=Role.USER, ctx=LOCAL
            )
            ann = Principal(user_id=user.id, role=user.role)
            ids = [
                (
                    await project.bookmarks.create(
                        ann, BookmarkDraft(url=site.url(f"/slow/{n}"), title=f"slow {n}")
                    )
                ).id
                for n in range(BOOKMARKS)
            ]

        first = _start_worker(environ, tmp_path / "worker-1.log")
        try:
            for _ in range(200):  # wait until the first worker is inside its jobs
                if any(hit.startswith("/slow/") for hit in site.hits):
                    break
                await asyncio.sleep(0.05)
            assert site.hits, (tmp_path / "worker-1.log").read_text()
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
        midway = await _statuses(environ, ann, ids)

        second = _start_worker(environ, tmp_path / "worker-2.log")
        try:
            for _ in range(600):
                final = await _statuses(environ, ann, ids)
                if all(status is ArchiveStatus.ARCHIVED for status in final):
                    break
                await asyncio.sleep(0.1)
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(timeout=30)

    assert ArchiveStatus.ARCHIVED not in midway  # killed before any job finished
    assert final == [ArchiveStatus.ARCHIVED] * BOOKMARKS, (tmp_path / "worker-2.log").read_text()[
        -3000:
    ]
    assert second.returncode == 0  # SIGTERM: a graceful stop
