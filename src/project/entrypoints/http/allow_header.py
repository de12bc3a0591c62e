"""`Allow` on the automatic OPTIONS answer names every method of the path (RFC 9110).

Litestar 2 builds that answer when a path's first handler is registered and keeps it when
more handlers join the path, so `OPTIONS /api/v1/me` said `GET, OPTIONS` without `PATCH`
(litestar-org/litestar#4169, fixed in v3 only). A `before_send` hook writes it again from the
app's routes; schemathesis checks it (B10).
"""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.routes import HTTPRoute
from litestar.types import Message, Scope


async def complete_allow_header(message: Message, scope: Scope) -> None:
    if message["type"] != "http.response.start" or scope.get("method") != "OPTIONS":
        return
    headers = MutableScopeHeaders.from_message(message)
    if "allow" not in headers:
        return
    template = scope.get("path_template")
    methods = {
        method
        for route in scope["app"].routes
        if isinstance(route, HTTPRoute) and route.path_format == template
        for method in route.methods
    }
    if methods:
        headers["allow"] = ", ".join(sorted(methods))
