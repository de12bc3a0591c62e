"""Allowed hosts (REQUIREMENTS S33): a request for any other `Host` gets a 400 problem.

Litestar's own AllowedHostsMiddleware answers with a bare JSON body; this one raises the
problem+json every other error is (S18). A forged Host header is how password-reset links
and cache entries get poisoned, so production always has a list (settings.host_allowlist).
"""

from __future__ import annotations

import structlog
from litestar.datastructures import Headers
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from project.entrypoints.http.problems import problem

_log = structlog.get_logger(__name__)


class AllowedHostsMiddleware(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)
    # Load balancers and container health checks probe by address (Host: 10.0.0.5:8000);
    # the health routes answer the same to everyone and build no links.
    should_bypass_for_scope = staticmethod(lambda scope: scope["path"].startswith("/health/"))

    def __init__(self, allowed: list[str]) -> None:
        self._exact = frozenset(host.lower() for host in allowed if not host.startswith("*."))
        self._suffixes = tuple(host[1:].lower() for host in allowed if host.startswith("*."))

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        host = host_name(Headers.from_scope(scope).get("host", ""))
        if not self.allows(host):
            _log.warning("input_validation_fail", field="host", host=host[:255])
            raise problem(400, "invalid_host", "This server does not answer to that Host name.")
        await next_app(scope, receive, send)

    def allows(self, host: str) -> bool:
        return bool(host) and (host in self._exact or host.endswith(self._suffixes))


def host_name(header: str) -> str:
    """The name of a Host header, lower case, without its port ("[::1]:80" -> "[::1]")."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[: header.find("]") + 1] if "]" in header else ""
    return header.partition(":")[0]


def middleware(allowed: list[str]) -> list[AllowedHostsMiddleware]:
    """No middleware at all when any host is allowed (development)."""
    return [AllowedHostsMiddleware(allowed)] if allowed else []
