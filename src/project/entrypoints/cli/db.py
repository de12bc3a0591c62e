"""`project db ...`: schema migrations of the configured database."""

from __future__ import annotations

from typing import Annotated

import msgspec
import typer

from project.adapters.sql import current as current_revision
from project.adapters.sql import downgrade as downgrade_to
from project.adapters.sql import head, mask_url
from project.adapters.sql import upgrade as upgrade_to
from project.entrypoints.cli import _runner
from project.entrypoints.settings import Settings

app = typer.Typer(help="Migrate the database schema.", no_args_is_help=True)


class Revision(msgspec.Struct, kw_only=True):
    database: str
    current: str | None
    head: str
    is_head: bool


def _database(settings: Settings) -> str:
    if settings.is_sqlite:  # SQLite creates the file, but not the directory it goes in
        settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    return settings.resolved_database_url


def _describe(revision: str | None) -> str:
    newest = head()
    if revision == newest:
        return f"{revision} (head)"
    return f"{revision or 'base (empty)'}; head is {newest}"


@app.command()
def upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
) -> None:
    """Migrate the schema up to REVISION (default: the newest)."""
    url = _database(_runner.settings())
    upgrade_to(url, revision)
    typer.echo(f"{mask_url(url)} is at {_describe(current_revision(url))}")


@app.command()
def downgrade(
    revision: Annotated[
        str, typer.Argument(help="Target revision; 'base' drops every table.", show_default=False)
    ],
) -> None:
    """Migrate the schema down to REVISION (data in dropped tables is lost)."""
    url = _database(_runner.settings())
    downgrade_to(url, revision)
    typer.echo(f"{mask_url(url)} is at {_describe(current_revision(url))}")


@app.command()
def current(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Show the schema revision of the database and whether it is the newest."""
    url = _database(_runner.settings())
    revision = current_revision(url)
    newest = head()
    if as_json:
        state = Revision(
            database=mask_url(url), current=revision, head=newest, is_head=revision == newest
        )
        typer.echo(msgspec.json.encode(state).decode())
    else:
        typer.echo(_describe(revision))
