"""The `project` command: the Typer app and `run()`, the console script's entry point.

Every command reads its settings from the environment (`PROJECT_*`), builds a fresh container
on its own event loop, and ends any failure in one line on stderr and an exit code (see
`_errors`).
"""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from project.entrypoints.cli import (
    archive,
    audit,
    bookmarks,
    db,
    doctor,
    exports,
    imports,
    serve,
    tokens,
    users,
    worker,
)
from project.entrypoints.cli._errors import report, reported


class _ReportingGroup(TyperGroup):
    """Runs every subcommand under `reported`, so no exception ends in a traceback."""

    def invoke(self, ctx: Any) -> Any:  # Typer's vendored click Context is not public
        with reported(debug=bool(ctx.params.get("debug"))):
            return super().invoke(ctx)


app = typer.Typer(
    name="project",
    cls=_ReportingGroup,
    help="Run and administer a project bookmark and web-archive instance.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def main(
    debug: Annotated[
        bool,
        typer.Option("--debug", envvar="PROJECT_DEBUG", help="Show the traceback of a failure."),
    ] = False,
) -> None:
    """Settings come from PROJECT_* environment variables (see the README)."""


app.command("serve")(serve.serve)
app.add_typer(db.app, name="db")
app.add_typer(users.app, name="users")
app.add_typer(tokens.app, name="tokens")
app.command("audit")(audit.audit)
app.add_typer(bookmarks.app, name="bookmarks")
app.command("import")(imports.import_file)
app.command("export")(exports.export)
app.command("doctor")(doctor.doctor)
app.command("worker")(worker.worker)
app.add_typer(archive.app, name="archive")


def run() -> None:
    """The console script: `project ...`."""
    try:
        app(prog_name="project")
    except Exception as error:  # raised outside any command; still one line
        sys.exit(report(error, debug="--debug" in sys.argv))


if __name__ == "__main__":
    run()
