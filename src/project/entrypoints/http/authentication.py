"""Deny by default (S14): every route needs a credential unless its `opt` marks it public.

`Authorization: Bearer <access JWT>` or `Bearer pat_...` / `Token pat_...` (a personal API
token, the linkding spelling) becomes the request's `Principal` (`request.user`). Safe
methods need the `read` scope and the rest `write`, so a read-only token cannot write (S12).
A caller who must enrol a second factor first reaches only the `DURING_ENROLMENT` routes (S7).
"""

from __future__ import annotations

from typing import Any

import structlog
from litestar.connection import ASGIConnection
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.middleware.base import DefineMiddleware

from project.domain.model.errors import AuthenticationFailed
from project.domain.model.principal import Principal
from project.domain.model.secrets import API_TOKEN_PREFIX
from project.domain.model.tokens import Scope
from project.entrypoints.library import Project

PUBLIC_KEY = "public"
PUBLIC: dict[str, Any] = {"opt": {PUBLIC_KEY: True}, "security": [{}]}
"""Route-decorator kwargs of a route anyone may call: `@post("/login", **PUBLIC)`.

Every use is reviewed; tests/e2e pins the list of public routes."""

ENROLMENT_KEY = "second_factor_enrolment"
DURING_ENROLMENT: dict[str, Any] = {"opt": {ENROLMENT_KEY: True}}
"""Route-decorator kwargs of a route open to a caller who must still enrol a second factor
(S7): enrolment itself, reading one's account, signing out. Every other route answers them
403 `second_factor_enrolment_required`."""

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_MAX_CREDENTIAL = 4096


class TokenAuthenticationMiddleware(AbstractAuthenticationMiddleware):
    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        scheme, credential = _credential(connection.headers.get("authorization"))
        project: Project = connection.app.state.project
        if credential.startswith(API_TOKEN_PREFIX):
            principal = await project.auth.authenticate_api_token(credential)
        elif scheme == "bearer":
            principal = await project.auth.authenticate_access_token(credential)
        else:  # `Token` is only for personal API tokens
            raise AuthenticationFailed()
        principal.require(required_scope(str(connection.scope.get("method", "GET"))))
        if not connection.route_handler.opt.get(ENROLMENT_KEY):
            principal.require_second_factor_enrolled()
        structlog.contextvars.bind_contextvars(user_id=str(principal.user_id))
        return AuthenticationResult(user=principal, auth=None)


def required_scope(method: str) -> Scope:
    return Scope.READ if method in SAFE_METHODS else Scope.WRITE


def middleware() -> DefineMiddleware:
    return DefineMiddleware(TokenAuthenticationMiddleware, exclude_from_auth_key=PUBLIC_KEY)


def principal_of(user: object) -> Principal:
    """The authenticated caller; a route that reaches here unauthenticated is a wiring bug."""
    if not isinstance(user, Principal):
        raise AuthenticationFailed()
    return user


def _credential(header: str | None) -> tuple[str, str]:
    if not header or len(header) > _MAX_CREDENTIAL:
        raise AuthenticationFailed("Send an access token or API token as a Bearer credential.")
    scheme, _, credential = header.strip().partition(" ")
    scheme = scheme.lower()
    credential = credential.strip()
    if scheme not in {"bearer", "token"} or not credential or " " in credential:
        raise AuthenticationFailed("Send an access token or API token as a Bearer credential.")
    return scheme, credential
