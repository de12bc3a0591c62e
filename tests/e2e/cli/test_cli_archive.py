"""`project archive status|retry`: where the archive jobs stand, and retrying failures."""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING

from project.domain.model.context import LOCAL
from project.domain.model.principal import Principal
from project.domain.model.users import Role
from project.domain.services.bookmarks import BookmarkDraft
from project.entrypoints.library import open_project
from project.entrypoints.settings import load_settings

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.e2e.cli.conftest import Cli


async def _one_failed_job(cli: Cli, email: str) -> None:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("PROJECT_")}
    async with open_project(load_settings(environ | dict(cli.settings))) as project:
        user = await project.admin.create_user(
            None, email, "a long enough passphrase 42", role=Role.USER, ctx=LOCAL
        )
        me = Principal(user_id=user.id, role=user.role)
        blocked = await project.bookmarks.create(me, BookmarkDraft(url="http://127.0.0.1:9/"))
        fine = await project.bookmarks.create(me, BookmarkDraft(url="http://127.0.0.1:9/x"))
        await project.archive.process(str(blocked.id))  # the SSRF guard refuses it
        del fine  # stays pending: no worker runs here


def _status(cli: Cli, *args: str) -> dict[str, int]:
    outcome = cli("archive", "status", "--json", *args)
    assert outcome.returncode == 0, outcome.stderr
    counts: dict[str, int] = json.loads(outcome.stdout)
    return counts


async def test_archive_status_counts_jobs_and_retry_queues_the_failed_ones(
    cli: Cli, email: Callable[[str], str]
) -> None:
    ann = email("ann")
    await _one_failed_job(cli, ann)

    before = _status(cli, "--user", ann)
    retried = cli("archive", "retry", "--failed", "--user", ann)
    after = _status(cli, "--user", ann)

    assert before == {"pending": 1, "running": 0, "done": 0, "failed": 1}
    assert retried.returncode == 0, retried.stderr
    assert retried.stdout.strip() == "1 bookmark(s) queued for archiving"
    assert after == {"pending": 2, "running": 0, "done": 0, "failed": 0}


def test_archive_status_for_an_unknown_user_is_one_error_line(cli: Cli) -> None:
    outcome = cli("archive", "status", "--user", "nobody@example.com")

    assert outcome.returncode == 1
    assert cli.error_line(outcome) == "error: No user with email nobody@example.com."


def test_archive_status_as_a_table_names_every_status(cli: Cli) -> None:
    outcome = cli("archive", "status")

    assert outcome.returncode == 0, outcome.stderr
    assert [line.split()[0] for line in outcome.stdout.splitlines()] == [
        "pending",
        "running",
        "done",
        "failed",
    ]
