"""The browser client (web/, built into `webapp/`) served at `/` by the same app.

Hashed files under `/assets/` never change, so browsers and nginx keep them for a year
(`immutable`); `index.html` names the current ones and is revalidated on every visit, so a
new release reaches users on their next page load. Every client-side route (`/tags`,
`/bookmarks/<id>`, ...) answers with `index.html` and the app's router takes over; the API's
own prefixes never do, so a mistyped API path is still a problem+json 404.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from litestar import MediaType, Response, get
from litestar.datastructures import CacheControlHeader
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.static_files import create_static_files_router
from litestar.types import ControllerRouterHandler

from project.entrypoints.http.authentication import PUBLIC_KEY

BUILT_APP = Path(__file__).with_name("webapp")
ASSETS_PATH = "/assets"
IMMUTABLE = CacheControlHeader(public=True, max_age=365 * 24 * 3600, immutable=True)
REVALIDATE = "no-cache"
# First path segments that belong to the server, never to the browser app's router.
# favicon.ico: browsers ask for it on their own; a 404 beats the entry page's HTML as an icon.
SERVER_PREFIXES = frozenset(
    {"api", "assets", "blobs", "health", "metrics", "schema", "favicon.ico"}
)


@functools.cache  # read once per process: the installed build does not change under it
def _index_html() -> bytes:
    try:
        return (BUILT_APP / "index.html").read_bytes()
    except FileNotFoundError:
        raise NotFoundException(
            "The web app is not built into this installation (cd web && npm ci && npm run build)."
        ) from None


_ENTRY_PAGE: dict[str, Any] = {
    "opt": {PUBLIC_KEY: True},
    "include_in_schema": False,
    "sync_to_thread": False,
}


def _entry_page() -> Response[bytes]:
    return Response(
        _index_html(),
        media_type=MediaType.HTML,
        headers={"cache-control": REVALIDATE},
    )


@get("/", **_ENTRY_PAGE)
def browser_app_root() -> Response[bytes]:
    return _entry_page()


@get("/{path:path}", **_ENTRY_PAGE)
def browser_app_route(path: FromPath[str]) -> Response[bytes]:
    """`index.html` for the app's own routes; a 404 for anything under the server's prefixes."""
    first = path.lstrip("/").split("/", 1)[0]
    if first in SERVER_PREFIXES:
        raise NotFoundException()
    return _entry_page()


def routers() -> list[ControllerRouterHandler]:
    """The route handlers to mount: the hashed assets and the app's entry page."""
    assets = create_static_files_router(
        path=ASSETS_PATH,
        directories=[BUILT_APP / "assets"],
        cache_control=IMMUTABLE,
        opt={PUBLIC_KEY: True},
        include_in_schema=False,
        name="web-assets",
    )
    return [assets, browser_app_root, browser_app_route]
