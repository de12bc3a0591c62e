"""`project export --user EMAIL`: a user's bookmarks as Netscape HTML or JSON Lines.

The file streams to stdout, or into `-o FILE` atomically: it is written beside the target
under a temporary name and renamed over it only once complete, so a failed export never
leaves a truncated file where a good one was.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, BinaryIO

import typer

from project.domain.services.exports import ExportFormat
from project.entrypoints.cli import _runner
from project.entrypoints.cli._errors import UsageProblem
from project.entrypoints.library import Project
from project.entrypoints.settings import Settings


@contextmanager
def _atomic_file(target: Path) -> Iterator[BinaryIO]:
    """A temporary file beside `target`, renamed over it when the block ends without error."""
    try:
        fd, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
        )
    except OSError as error:
        raise UsageProblem(f"cannot write {target}: {error.strerror or error}") from None
    try:
        with os.fdopen(fd, "wb") as sink:
            yield sink
            sink.flush()
            os.fsync(sink.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


async def _copy(project: Project, email: str, file_format: ExportFormat, sink: BinaryIO) -> int:
    owner = await project.admin.find_by_email(None, email)
    written = 0
    async for piece in project.exports.stream(owner.id, file_format):
        await asyncio.to_thread(sink.write, piece)
        written += len(piece)
    return written


def export(
    user: Annotated[str, typer.Option("--user", help="The owner's email.", show_default=False)],
    file_format: Annotated[
        ExportFormat, typer.Option("--format", help="netscape (HTML) or jsonl (every field).")
    ] = ExportFormat.NETSCAPE,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write to this file (default: stdout).", show_default=False
        ),
    ] = None,
) -> None:
    """Export a user's bookmarks; Netscape HTML re-imports into the same set."""
    settings = _runner.settings()
    if output is None:
        _to_stdout(settings, user, file_format)
        return
    with _atomic_file(output) as sink:
        written = _runner.run(lambda project: _copy(project, user, file_format, sink), settings)
    typer.echo(f"exported {written} bytes to {output}", err=True)


def _to_stdout(settings: Settings, user: str, file_format: ExportFormat) -> None:
    sink = sys.stdout.buffer
    try:
        _runner.run(lambda project: _copy(project, user, file_format, sink), settings)
        sink.flush()
    except BrokenPipeError:
        # The reader went away (`| head`): not an error of ours. Python would complain again
        # when it flushes stdout at exit, so point stdout at nothing first.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(1) from None
