"""`project archive status|retry`: the archive jobs, for operators."""

from __future__ import annotations

from typing import Annotated

import msgspec
import typer

from project.domain.model.ids import UserId
from project.entrypoints.cli import _runner
from project.entrypoints.library import Project

app = typer.Typer(help="Archive jobs: see where they stand, retry failures.", no_args_is_help=True)

UserOption = Annotated[
    str | None, typer.Option("--user", help="Only this user's bookmarks (email).")
]


async def _owner(project: Project, email: str | None) -> UserId | None:
    if email is None:
        return None
    return (await project.admin.find_by_email(None, email)).id


@app.command()
def status(
    user: UserOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Count archive jobs by status."""

    async def action(project: Project) -> dict[str, int]:
        report = await project.archive.status(owner_id=await _owner(project, user))
        return {str(k): v for k, v in report.counts.items()}

    counts = _runner.run(action)
    if as_json:
        typer.echo(msgspec.json.encode(counts).decode())
        return
    for name, count in counts.items():
        typer.echo(f"{name:<8} {count}")


@app.command()
def retry(
    failed: Annotated[
        bool,
        typer.Option("--failed/--all", help="Only failed jobs (default), or every unfinished one."),
    ] = True,
    user: UserOption = None,
) -> None:
    """Archive the matching bookmarks again from their first attempt."""

    async def action(project: Project) -> int:
        ids = await project.archive.retry(owner_id=await _owner(project, user), failed_only=failed)
        return len(ids)

    count = _runner.run(action)
    typer.echo(f"{count} bookmark(s) queued for archiving")
