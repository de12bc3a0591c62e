"""Fetch-metadata check (REQUIREMENTS S27): browsers label every request with
`Sec-Fetch-Site`; an unsafe method sent by another site's page is refused with a 403 before
it reaches a handler. Clients that are not browsers send no such header and pass.

This stands beside the CSRF double-submit token of the cookie routes: it covers every route
(bearer routes included) for the browsers that send the header, at the cost of one lookup.
"""

from __future__ import annotations

import structlog
from litestar.datastructures import Headers
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from project.entrypoints.http.problems import problem

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_log = structlog.get_logger(__name__)


class CrossSiteRequestMiddleware(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        if scope.get("method") not in SAFE_METHODS:
            site = Headers.from_scope(scope).get("sec-fetch-site", "").lower()
            if site == "cross-site":
                _log.warning("authz_fail", reason="cross_site_request", path=scope["path"])
                raise problem(403, "cross_site_request", "Requests from other sites are refused.")
        await next_app(scope, receive, send)


def middleware() -> CrossSiteRequestMiddleware:
    return CrossSiteRequestMiddleware()
