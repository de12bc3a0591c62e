"""`project serve`: the HTTP API under uvicorn, in one process."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from project.adapters.sql import mask_url
from project.entrypoints.cli import _runner
from project.entrypoints.cli._errors import UsageProblem
from project.entrypoints.library import migrate_if_embedded

GRACEFUL_SHUTDOWN_SECONDS = 10


def serve(
    host: Annotated[
        str | None,
        typer.Option(help="Address to listen on [default: PROJECT_HOST]", show_default=False),
    ] = None,
    port: Annotated[
        int | None,
        typer.Option(
            min=1, max=65535, help="Port to listen on [default: PROJECT_PORT]", show_default=False
        ),
    ] = None,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes (only 1 for now).")] = 1,
) -> None:
    """Serve the HTTP API; an embedded (SQLite) database is created or upgraded first."""
    if workers != 1:
        raise UsageProblem("--workers above 1 is not supported yet; run more `project serve`")
    settings = _runner.settings()
    asyncio.run(migrate_if_embedded(settings))

    import uvicorn  # imported here so the other commands start fast

    from project.entrypoints.http.app import create_app

    app = create_app(settings)
    bind_host = host or settings.host
    bind_port = port or settings.port
    shown_host = f"[{bind_host}]" if ":" in bind_host else bind_host
    typer.echo(
        f"project: serving on http://{shown_host}:{bind_port} "
        f"(database {mask_url(settings.resolved_database_url)})"
    )
    uvicorn.run(
        app,
        host=bind_host,
        port=bind_port,
        log_level=settings.log_level.lower(),
        server_header=False,
        # X-Forwarded-* only from the configured proxies (S33); none by default.
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=settings.trusted_proxies or None,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )
