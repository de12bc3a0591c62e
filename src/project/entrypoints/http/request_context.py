"""A request id on every request, its log lines and its response (issue 7, S32).

The id comes from `X-Request-ID` when the caller (nginx, a client) sends a sane one, so one
id follows a request through the proxy and the app; otherwise a fresh one is made. It is
bound to structlog's context, so every log line of the request carries it (and `user_id`,
bound by the authentication middleware once the caller is known).
"""

from __future__ import annotations

import re
import uuid

import structlog
from litestar.datastructures import Headers, MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

HEADER = "x-request-id"
_SANE = re.compile(r"[A-Za-z0-9._-]{1,64}")


class RequestContextMiddleware(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        request_id = request_id_of(Headers.from_scope(scope).get(HEADER))
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableScopeHeaders.from_message(message)[HEADER] = request_id
            await send(message)

        try:
            await next_app(scope, receive, send_with_id)
        finally:
            structlog.contextvars.clear_contextvars()


def request_id_of(given: str | None) -> str:
    """The caller's id when it is short and plain (it ends up in logs), else a new one."""
    if given is not None and _SANE.fullmatch(given):
        return given
    return uuid.uuid4().hex


def middleware() -> RequestContextMiddleware:
    return RequestContextMiddleware()
