"""`project serve`: the HTTP API under uvicorn, in one process or several (`--workers`)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated, Any

import typer

from project.adapters.sql import mask_url
from project.entrypoints.cli import _runner
from project.entrypoints.cli._errors import UsageProblem
from project.entrypoints.library import migrate_if_embedded
from project.entrypoints.logging import configure_logging

GRACEFUL_SHUTDOWN_SECONDS = 10
APP_FACTORY = "project.entrypoints.http.app:create_app"


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
    workers: Annotated[
        int,
        typer.Option(
            min=1, max=64, help="Worker processes; above 1 needs PROJECT_REDIS_URL (shared state)."
        ),
    ] = 1,
    ssl_certfile: Annotated[
        Path | None,
        typer.Option(
            help="Serve https directly with this PEM certificate (chain).", dir_okay=False
        ),
    ] = None,
    ssl_keyfile: Annotated[
        Path | None,
        typer.Option(help="The private key of --ssl-certfile (PEM).", dir_okay=False),
    ] = None,
) -> None:
    """Serve the HTTP API; an embedded (SQLite) database is created or upgraded first."""
    certfile, keyfile = _tls_files(ssl_certfile, ssl_keyfile)
    settings = _runner.settings()
    if workers > 1 and not settings.uses_redis:
        # Each process would keep its own session denylist, rate limits and job queue: a
        # logout seen by one worker would not be seen by the next.
        raise UsageProblem("--workers above 1 needs PROJECT_REDIS_URL (state shared by processes)")
    configure_logging(settings)  # the configured level; JSON lines in production (S32)
    asyncio.run(migrate_if_embedded(settings))

    import uvicorn  # imported here so the other commands start fast

    from project.entrypoints.http.app import create_app

    # One process serves the app built here; several each build their own from the same
    # environment (uvicorn imports the factory in every worker process).
    app: Any = create_app(settings) if workers == 1 else APP_FACTORY
    bind_host = host or settings.host
    bind_port = port or settings.port
    shown_host = f"[{bind_host}]" if ":" in bind_host else bind_host
    scheme = "https" if certfile else "http"
    typer.echo(
        f"project: serving on {scheme}://{shown_host}:{bind_port} "
        f"with {workers} worker{'s' if workers > 1 else ''} "
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
        factory=workers > 1,
        workers=workers,
        ssl_certfile=certfile,
        ssl_keyfile=keyfile,
    )


def _tls_files(certfile: Path | None, keyfile: Path | None) -> tuple[str | None, str | None]:
    """uvicorn's TLS arguments; both files or neither, each readable (HSTS follows, S29)."""
    if certfile is None and keyfile is None:
        return None, None
    if certfile is None or keyfile is None:
        raise UsageProblem("--ssl-certfile and --ssl-keyfile go together")
    for option, path in (("--ssl-certfile", certfile), ("--ssl-keyfile", keyfile)):
        if not path.is_file():
            raise UsageProblem(f"{option}: {path} is not a readable file")
    return str(certfile), str(keyfile)
