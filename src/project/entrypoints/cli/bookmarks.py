"""`project bookmarks ...`: a user's bookmarks, listed and searched by the local operator."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
import typer

from project.domain.model.bookmarks import ArchiveStatus, Bookmark
from project.domain.model.pages import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Page, Sort
from project.domain.model.principal import Principal
from project.entrypoints.cli import _runner
from project.entrypoints.cli._output import emit
from project.entrypoints.library import Project

app = typer.Typer(help="List and search a user's bookmarks.", no_args_is_help=True)

TITLE_WIDTH = 60
URL_WIDTH = 70


class BookmarkRow(msgspec.Struct, kw_only=True):
    title: str
    url: str
    tags: tuple[str, ...]
    flags: tuple[str, ...]
    created: datetime


class BookmarkJson(msgspec.Struct, kw_only=True):
    id: UUID
    url: str
    title: str
    description: str
    tags: tuple[str, ...]
    collection_id: UUID | None
    unread: bool
    archived: bool
    favorite: bool
    archive_status: ArchiveStatus
    created_at: datetime
    updated_at: datetime


def _row(bookmark: Bookmark) -> BookmarkRow:
    flags = ("unread", "archived", "favorite")
    return BookmarkRow(
        title=_shortened(bookmark.display_title, TITLE_WIDTH),
        url=_shortened(bookmark.url, URL_WIDTH),
        tags=bookmark.tags,
        flags=tuple(flag for flag in flags if getattr(bookmark, flag)),
        created=bookmark.created_at,
    )


def _json(bookmark: Bookmark) -> BookmarkJson:
    return BookmarkJson(
        id=bookmark.id,
        url=bookmark.url,
        title=bookmark.display_title,
        description=bookmark.display_description,
        tags=bookmark.tags,
        collection_id=bookmark.collection_id,
        unread=bookmark.unread,
        archived=bookmark.archived,
        favorite=bookmark.favorite,
        archive_status=bookmark.archive_status,
        created_at=bookmark.created_at,
        updated_at=bookmark.updated_at,
    )


def _shortened(text: str, width: int) -> str:
    return text if len(text) <= width else f"{text[: width - 1]}…"


@app.command("list")
def list_bookmarks(
    user: Annotated[str, typer.Option("--user", help="The owner's email.", show_default=False)],
    query: Annotated[
        str,
        typer.Option(
            "--query",
            "-q",
            help="Search, e.g. 'python -draft #tag site:example.com is:unread'.",
            show_default=False,
        ),
    ] = "",
    sort: Annotated[Sort, typer.Option("--sort", help="The order.")] = Sort.NEWEST,
    limit: Annotated[
        int, typer.Option(min=1, max=MAX_PAGE_SIZE, help="At most this many.")
    ] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[
        str | None,
        typer.Option("--cursor", help="Continue after a previous page.", show_default=False),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """List a user's bookmarks, newest first, or those matching a search."""

    async def action(project: Project) -> Page[Bookmark]:
        owner = await project.admin.find_by_email(None, user)
        principal = Principal(user_id=owner.id, role=owner.role)
        return await project.search.search(principal, query, sort=sort, limit=limit, cursor=cursor)

    page = _runner.run(action)
    if as_json:
        emit([_json(bookmark) for bookmark in page.items], BookmarkJson, as_json=True)
    else:
        emit([_row(bookmark) for bookmark in page.items], BookmarkRow, as_json=False)
    if page.next_cursor is not None:
        typer.echo(f"more: --cursor {page.next_cursor}", err=True)
