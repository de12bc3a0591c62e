"""The Litestar application: `create_app(settings)`, or for uvicorn
`uvicorn --factory project.entrypoints.http.app:create_app`.

The lifespan migrates an embedded database, builds the `Project` (the services) once, keeps
it on `app.state` for the dependency providers and the auth middleware, and closes it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar
from litestar.config.cors import CORSConfig

from project.entrypoints.http import (
    allow_header,
    authentication,
    fetch_metadata,
    headers,
    hosts,
    metrics,
    openapi,
    problems,
    rate_limits,
    request_context,
    tracing,
    web_app,
)
from project.entrypoints.http.controllers import browser_auth
from project.entrypoints.http.controllers.admin_audit import AdminAuditController
from project.entrypoints.http.controllers.admin_invites import AdminInviteController
from project.entrypoints.http.controllers.admin_users import AdminUserController
from project.entrypoints.http.controllers.archive import ArchiveController
from project.entrypoints.http.controllers.auth import AuthController
from project.entrypoints.http.controllers.blobs import BlobController
from project.entrypoints.http.controllers.bookmarks import BookmarkController
from project.entrypoints.http.controllers.collections import CollectionController
from project.entrypoints.http.controllers.exports import ExportController
from project.entrypoints.http.controllers.health import HealthController
from project.entrypoints.http.controllers.imports import ImportController
from project.entrypoints.http.controllers.linkding import (
    LinkdingBookmarkController,
    LinkdingTagController,
    LinkdingUserController,
)
from project.entrypoints.http.controllers.me import MeController
from project.entrypoints.http.controllers.passwords import PasswordController
from project.entrypoints.http.controllers.public import PublicCollectionController
from project.entrypoints.http.controllers.second_factor import SecondFactorController
from project.entrypoints.http.controllers.sessions import SessionController
from project.entrypoints.http.controllers.smart_lists import SmartListController
from project.entrypoints.http.controllers.tags import TagController
from project.entrypoints.http.controllers.tokens import ApiTokenController
from project.entrypoints.http.dependencies import dependencies
from project.entrypoints.http.guards import require_json_body, strict_json_body
from project.entrypoints.library import Project, build, migrate_if_embedded
from project.entrypoints.logging import configure_logging
from project.entrypoints.settings import Settings, load_settings
from project.entrypoints.worker import run_worker

MAX_BODY_BYTES = 1024 * 1024  # S16; imports get their own, larger cap
DOCS_PATH = "/schema"

CONTROLLERS = [
    AuthController,
    SessionController,
    PasswordController,
    MeController,
    SecondFactorController,
    ApiTokenController,
    AdminUserController,
    AdminInviteController,
    AdminAuditController,
    BookmarkController,
    TagController,
    ImportController,
    ExportController,
    HealthController,
    BlobController,
    ArchiveController,
    CollectionController,
    PublicCollectionController,
    SmartListController,
    LinkdingBookmarkController,
    LinkdingTagController,
    LinkdingUserController,
]


@asynccontextmanager
async def _worker_in_app(project: Project) -> AsyncIterator[None]:
    """The embedded default archives in this process; with Redis, `project worker` does."""
    if not project.settings.runs_worker_in_app:
        yield
        return
    stop = asyncio.Event()
    task = asyncio.create_task(
        run_worker(project, concurrency=project.settings.worker_concurrency, stop=stop),
        name="archive-worker",
    )
    try:
        yield
    finally:
        stop.set()
        await task


def _cors(settings: Settings) -> CORSConfig | None:
    """Only the configured origins, with credentials; none configured, no CORS at all (S28)."""
    if not settings.cors_origins:
        return None
    return CORSConfig(
        allow_origins=[origin.rstrip("/") for origin in settings.cors_origins],
        allow_credentials=True,
        allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        allow_headers=[
            "authorization",
            "content-type",
            "if-match",
            "if-none-match",
            browser_auth.CSRF_HEADER.lower(),
        ],
        expose_headers=["etag", "location", "retry-after", *rate_limits.HEADER_NAMES],
        max_age=600,
    )


def create_app(settings: Settings | None = None, *, project: Project | None = None) -> Litestar:
    """Build the app. A prebuilt `project` (tests: cheap argon2) is used and closed by the app."""
    if settings is None and project is None:
        # Built by a server from the environment (`project serve --workers N`, uvicorn
        # --factory): this process's logging is not set up yet.
        settings = load_settings()
        configure_logging(settings)
    resolved = settings or (project.settings if project is not None else load_settings())

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        await migrate_if_embedded(resolved)
        running = project if project is not None else build(resolved)
        app.state.project = running
        try:
            async with _worker_in_app(running):
                yield
        finally:
            await running.aclose()

    return Litestar(
        route_handlers=[
            *CONTROLLERS,
            browser_auth.router(resolved),
            metrics.metrics,
            *web_app.routers(),
        ],
        lifespan=[lifespan],
        dependencies=dependencies(),
        middleware=[
            request_context.middleware(),
            *tracing.middleware(resolved),
            metrics.config().middleware,
            *hosts.middleware(resolved.host_allowlist()),
            fetch_metadata.middleware(),
            authentication.middleware(),
            rate_limits.middleware(),
        ],
        cors_config=_cors(resolved),
        guards=[require_json_body, strict_json_body],
        plugins=[
            *tracing.plugins(resolved),
            problems.plugin(),
            openapi.ProblemResponses(),
            openapi.StrictBodies(),
        ],
        after_exception=[problems.log_unexpected],
        before_send=[headers.security_headers(DOCS_PATH), allow_header.complete_allow_header],
        request_max_body_size=MAX_BODY_BYTES,
        openapi_config=openapi.config(DOCS_PATH),
        debug=resolved.debug and not resolved.is_production,
        logging_config=None,
    )
