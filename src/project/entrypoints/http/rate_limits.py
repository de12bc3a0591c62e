"""API rate limits per caller (REQUIREMENTS S31), in fixed one-minute windows.

An authenticated request counts against its personal API token, or else its user; an
anonymous one against its client address (the socket peer: forwarded headers are not
trusted). Over the limit the answer is a 429 problem with `Retry-After`; every counted
response carries the IETF draft's `RateLimit-Limit`, `RateLimit-Remaining` and
`RateLimit-Reset`. Health checks are never counted. The limiter decides what a Redis outage
means (the request goes through), so nothing here special-cases it.

The middleware runs inside authentication, to see the `Principal`: a request refused there
(401) is not counted here. It also logs each 429 it lets out under its OWASP name (S32):
`authn_login_fail_max` for a throttled login, `excess_rate_limit` for the rest.
"""

from __future__ import annotations

from datetime import timedelta

import structlog
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, HTTPResponseStartEvent, Message, Receive, Scope, Send

from project.domain.model.principal import Principal
from project.domain.model.rate_limits import RateLimitDecision
from project.domain.model.throttling import client_bucket
from project.entrypoints.http.problems import problem
from project.entrypoints.library import Project
from project.ports.cache import RateLimiter

WINDOW = timedelta(minutes=1)
EXEMPT_PREFIX = "/health/"
LOGIN_PATHS = ("/api/v1/auth/login", "/api/v1/auth/browser/login")
HEADER_NAMES = ("ratelimit-limit", "ratelimit-remaining", "ratelimit-reset")

_log = structlog.get_logger(__name__)


class RateLimitMiddleware(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)

    def __init__(self) -> None:
        self.should_bypass_for_scope = _is_exempt
        # Resolved on the first request of each Project (the lifespan builds it).
        self._wired: tuple[Project, RateLimiter] | None = None

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        project: Project = scope["app"].state.project
        key, limit = _bucket(scope, project)
        decision = await self._limiter(project).hit(key, limit=limit, window=WINDOW)
        headers = _headers(decision)
        if not decision.allowed:
            _log.warning(
                "excess_rate_limit",
                limit="api",
                bucket=key,
                method=scope.get("method"),
                path=scope["path"],
                retry_after=decision.retry_after_seconds,
            )
            retry = {"Retry-After": str(decision.retry_after_seconds)}
            raise problem(429, "rate_limited", _TOO_MANY, headers=headers | retry)
        await next_app(scope, receive, _sending(scope, send, headers))

    def _limiter(self, project: Project) -> RateLimiter:
        wired = self._wired
        if wired is None or wired[0] is not project:
            wired = self._wired = (project, project.container.rate_limiter())
        return wired[1]


_TOO_MANY = "Too many requests; slow down and retry after the time Retry-After gives."


def middleware() -> RateLimitMiddleware:
    return RateLimitMiddleware()


def _is_exempt(scope: Scope) -> bool:
    return scope["path"].startswith(EXEMPT_PREFIX)


def _bucket(scope: Scope, project: Project) -> tuple[str, int]:
    """The key a request counts against, and the limit of that key's window."""
    settings = project.settings
    user = scope.get("user")
    if isinstance(user, Principal):
        if user.api_token_id is not None:
            return f"api:token:{user.api_token_id}", settings.api_user_requests_per_minute
        return f"api:user:{user.user_id}", settings.api_user_requests_per_minute
    client = scope.get("client")
    address = client_bucket(client[0] if client else "")
    return f"api:ip:{address}", settings.api_anonymous_requests_per_minute


def _headers(decision: RateLimitDecision) -> dict[str, str]:
    return {
        "RateLimit-Limit": str(decision.limit),
        "RateLimit-Remaining": str(decision.remaining),
        "RateLimit-Reset": str(decision.retry_after_seconds),
    }


def _sending(scope: Scope, send: Send, headers: dict[str, str]) -> Send:
    """`send`, adding the rate-limit headers to the response and logging a refusal."""
    extra = [(name.lower().encode(), value.encode()) for name, value in headers.items()]

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            if message["status"] == 429:
                _log_refusal(scope, message)
            message["headers"] = [*message.get("headers", []), *extra]
        await send(message)

    return wrapped


def _log_refusal(scope: Scope, start: HTTPResponseStartEvent) -> None:
    """A handler said 429 (a throttled login, the archive quota): name it for the log."""
    retry_after = next(
        (
            value.decode()
            for name, value in start.get("headers", [])
            if name.lower() == b"retry-after"
        ),
        None,
    )
    client = scope.get("client")
    _log.warning(
        "authn_login_fail_max" if scope["path"] in LOGIN_PATHS else "excess_rate_limit",
        ip=client[0] if client else "",
        method=scope.get("method"),
        path=scope["path"],
        retry_after=retry_after,
    )
