"""Browser mode (REQUIREMENTS S26, S27): the refresh token lives in an HttpOnly cookie.

A web page keeps its access token in memory only and never sees the refresh token: login
and refresh set it as `__Secure-project-refresh` (Secure, HttpOnly, SameSite=Strict, scoped to
this path), refresh reads it back. Because these routes act on a cookie, every unsafe request
here carries the double-submit CSRF token (Litestar's CSRFMiddleware on this router): the
value of the `__Host-project-csrf` cookie, sent back as `X-CSRF-Token`. `GET .../csrf` hands it
out. API clients that are not browsers use /api/v1/auth, where nothing rides on a cookie.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from litestar import Controller, Request, Response, Router, get, post
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.middleware import DefineMiddleware
from litestar.middleware.csrf import CSRFMiddleware
from litestar.params import JSONBody
from litestar.utils.scope.state import ScopeState

from project.domain.model.context import Context
from project.domain.model.errors import AuthenticationFailed
from project.domain.model.principal import Principal
from project.domain.services.authentication import AuthenticationService
from project.domain.services.sessions import SessionService
from project.entrypoints.http.authentication import DURING_ENROLMENT, PUBLIC
from project.entrypoints.http.schemas.auth import AccessTokenOut, CsrfTokenOut, Login
from project.entrypoints.library import Project
from project.entrypoints.settings import Settings

PATH = "/api/v1/auth/browser"
REFRESH_COOKIE = "__Secure-project-refresh"
CSRF_COOKIE = "__Host-project-csrf"
CSRF_HEADER = "X-CSRF-Token"


class BrowserAuthController(Controller):
    tags = ["auth"]

    @get("/csrf", **PUBLIC, cache_control=None)
    async def csrf(self, request: Request[Any, Any, Any]) -> CsrfTokenOut:
        token = ScopeState.from_scope(request.scope).csrf_token
        return CsrfTokenOut(csrf_token=str(token), header_name=CSRF_HEADER)

    @post("/login", **PUBLIC, status_code=200)
    async def login(
        self,
        data: JSONBody[Login],
        auth: NamedDependency[AuthenticationService],
        ctx: NamedDependency[Context],
        project: NamedDependency[Project],
    ) -> Response[AccessTokenOut]:
        pair = await auth.login(
            data.email, data.password, second_factor=data.second_factor, ctx=ctx
        )
        return _with_refresh_cookie(AccessTokenOut.of(pair), pair.refresh_token, project.settings)

    @post("/refresh", **PUBLIC, status_code=200)
    async def refresh(
        self,
        request: Request[Any, Any, Any],
        auth: NamedDependency[AuthenticationService],
        ctx: NamedDependency[Context],
        project: NamedDependency[Project],
    ) -> Response[AccessTokenOut]:
        refresh_token = request.cookies.get(REFRESH_COOKIE)
        if not refresh_token:
            raise AuthenticationFailed("No session cookie; sign in again.")
        pair = await auth.refresh(refresh_token, ctx=ctx)
        return _with_refresh_cookie(AccessTokenOut.of(pair), pair.refresh_token, project.settings)

    @post("/logout", status_code=204, **DURING_ENROLMENT)
    async def logout(
        self,
        sessions: NamedDependency[SessionService],
        principal: NamedDependency[Principal],
        ctx: NamedDependency[Context],
    ) -> Response[None]:
        await sessions.logout(principal, ctx=ctx)
        return Response(None, status_code=204, cookies=[_refresh_cookie("", max_age=0)])


def router(settings: Settings) -> Router:
    """The browser routes, behind the CSRF double-submit check (keyed from the app secret)."""
    csrf = CSRFConfig(
        secret=settings.csrf_secret(),
        cookie_name=CSRF_COOKIE,
        cookie_path="/",
        header_name=CSRF_HEADER,
        cookie_secure=True,
        cookie_httponly=False,  # the page reads it to send it back: that is the point
        cookie_samesite="strict",
    )
    return Router(
        path=PATH,
        route_handlers=[BrowserAuthController],
        middleware=[DefineMiddleware(CSRFMiddleware, config=csrf)],
    )


def _with_refresh_cookie(
    body: AccessTokenOut, refresh_token: str, settings: Settings
) -> Response[AccessTokenOut]:
    max_age = int(timedelta(days=settings.refresh_idle_days).total_seconds())
    return Response(body, status_code=200, cookies=[_refresh_cookie(refresh_token, max_age)])


def _refresh_cookie(value: str, max_age: int) -> Cookie:
    return Cookie(
        key=REFRESH_COOKIE,
        value=value,
        max_age=max_age,
        path=PATH,
        secure=True,
        httponly=True,
        samesite="strict",
    )
