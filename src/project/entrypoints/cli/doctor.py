"""`project doctor`: is the configuration sound and does every backing service answer?"""

from __future__ import annotations

import asyncio
from typing import Annotated

import msgspec
import typer

from project.entrypoints.checks import CheckResult, run_checks
from project.entrypoints.cli import _runner
from project.entrypoints.container import Container, close_container
from project.entrypoints.settings import Settings

FAILED_EXIT_CODE = 1


class CheckOut(msgspec.Struct, kw_only=True):
    name: str
    ok: bool
    target: str
    detail: str


def doctor(
    as_json: Annotated[bool, typer.Option("--json", help="Print the checks as JSON.")] = False,
) -> None:
    """Check the configuration, then the database, Redis and S3 (those configured): one line
    each, and a non-zero exit code when any fails. Changes nothing."""
    settings = _runner.settings()  # a bad setting ends here, exit code 3
    results = asyncio.run(_check(settings))
    if as_json:
        typer.echo(
            msgspec.json.encode(
                [CheckOut(name=r.name, ok=r.ok, target=r.target, detail=r.detail) for r in results]
            ).decode()
        )
    else:
        for result in results:
            typer.echo(_line(result))
    if not all(result.ok for result in results):
        raise typer.Exit(FAILED_EXIT_CODE)


async def _check(settings: Settings) -> list[CheckResult]:
    container = Container(settings=settings)
    try:
        return await run_checks(container)
    finally:
        await close_container(container)


def _line(result: CheckResult) -> str:
    status = "ok  " if result.ok else "FAIL"
    line = f"{status}  {result.name:<9} {result.target}"
    return line if result.ok else f"{line}: {result.detail}"
