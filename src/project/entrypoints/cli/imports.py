"""`project import FILE --user EMAIL`: a bookmark file into a user's bookmarks, with progress.

The file is streamed in 256 KiB chunks read off the event loop; the bar follows the bytes
read, the counts follow the service's report after each batch. Progress goes to stderr, the
report to stdout.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, BinaryIO

import msgspec
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Column

from project.domain.model.imports import ImportFormat, ImportMode, ImportReport, InvalidEntry
from project.entrypoints.cli import _runner
from project.entrypoints.cli._errors import UsageProblem
from project.entrypoints.cli._output import table
from project.entrypoints.library import Project

CHUNK_SIZE = 256 * 1024
MAX_INVALID_SHOWN = 20


class Totals(msgspec.Struct, kw_only=True):
    created: int
    updated: int
    skipped: int
    invalid: int


class InvalidRow(msgspec.Struct, kw_only=True):
    position: int
    url: str
    reason: str


class _Bar:
    """The progress bar: bytes read out of the file, and the report's counts so far."""

    def __init__(self, progress: Progress, task: TaskID) -> None:
        self._progress = progress
        self._task = task

    def advance(self, size: int) -> None:
        self._progress.advance(self._task, size)

    def counts(self, report: ImportReport) -> None:
        self._progress.update(self._task, counts=_counts(report))


def _counts(report: ImportReport) -> str:
    """`created N`, then the other counts once they are not zero: short enough for 80 columns."""
    counts = {
        "created": report.created,
        "updated": report.updated,
        "skipped": report.skipped,
        "invalid": report.invalid_count,
    }
    return " ".join(f"{name} {n}" for name, n in counts.items() if n or name == "created")


def _fixed(max_width: int | None = None) -> Column:
    return Column(no_wrap=True, overflow="ellipsis", max_width=max_width)


@contextmanager
def _progress_bar(name: str, size: int) -> Iterator[_Bar]:
    progress = Progress(
        TextColumn("[bold]{task.description}", table_column=_fixed(max_width=20)),
        BarColumn(bar_width=None, table_column=Column(ratio=1, min_width=8)),
        DownloadColumn(table_column=_fixed()),
        TimeRemainingColumn(table_column=_fixed()),
        TextColumn("{task.fields[counts]}", table_column=_fixed()),
        console=Console(stderr=True),
    )
    with progress:
        task = progress.add_task(escape(name), total=size or None, counts=_counts(ImportReport()))
        yield _Bar(progress, task)


@contextmanager
def _opened(path: Path) -> Iterator[tuple[BinaryIO, int]]:
    """The file, open for reading, and its size; a usage error (exit 2) when it cannot be."""
    try:
        handle = path.open("rb")
        size = os.fstat(handle.fileno()).st_size
    except OSError as error:
        raise UsageProblem(f"cannot read {path}: {error.strerror or error}") from None
    with handle:
        yield handle, size


async def _chunks(handle: BinaryIO, bar: _Bar) -> AsyncIterator[bytes]:
    """The file in 256 KiB pieces, each read in a worker thread so the event loop stays free."""
    while chunk := await asyncio.to_thread(handle.read, CHUNK_SIZE):
        yield chunk
        bar.advance(len(chunk))  # counted once the reader has taken it in


def import_file(
    file: Annotated[
        Path,
        typer.Argument(metavar="FILE", help="The bookmark file to read.", show_default=False),
    ],
    user: Annotated[str, typer.Option("--user", help="The owner's email.", show_default=False)],
    file_format: Annotated[
        ImportFormat, typer.Option("--format", help="The file's format.")
    ] = ImportFormat.NETSCAPE,
    mode: Annotated[
        ImportMode,
        typer.Option("--mode", help="For a link already saved: skip it, or update it."),
    ] = ImportMode.SKIP,
    folders_as_tags: Annotated[
        bool, typer.Option("--folders-as-tags", help="Tag each entry with its folders' names.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Import a Netscape bookmark file (what browsers export) or JSON Lines for a user."""
    settings = _runner.settings()
    with _opened(file) as (handle, size):

        async def action(project: Project) -> ImportReport:
            owner = await project.admin.find_by_email(None, user)
            with _progress_bar(file.name, size) as bar:  # only once there is work to show
                return await project.imports.run(
                    owner.id,
                    _chunks(handle, bar),
                    file_format=file_format,
                    mode=mode,
                    folders_as_tags=folders_as_tags,
                    progress=bar.counts,
                )

        report = _runner.run(action, settings)
    _print_report(report, as_json=as_json)


def _print_report(report: ImportReport, *, as_json: bool) -> None:
    if as_json:
        typer.echo(msgspec.json.encode(report).decode())
        return
    totals = Totals(
        created=report.created,
        updated=report.updated,
        skipped=report.skipped,
        invalid=report.invalid_count,
    )
    typer.echo(table([totals], Totals))
    if report.invalid_count:
        typer.echo("")
        typer.echo(table([_invalid_row(e) for e in report.invalid[:MAX_INVALID_SHOWN]], InvalidRow))
        hidden = report.invalid_count - min(len(report.invalid), MAX_INVALID_SHOWN)
        if hidden:
            typer.echo(f"... and {hidden} more")


def _invalid_row(entry: InvalidEntry) -> InvalidRow:
    return InvalidRow(position=entry.position, url=entry.url or "-", reason=entry.reason)
