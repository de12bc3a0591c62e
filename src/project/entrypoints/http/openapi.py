"""The OpenAPI document at `/schema`: bearer security, and problem+json error responses.

Litestar documents errors in its own `{status_code, detail}` shape; this app answers RFC 9457
problems, so every operation's error responses are rewritten to the `Problem` schema as its
route is registered (a document that lies would fail schemathesis, B10).
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

import msgspec
from litestar.handlers import HTTPRouteHandler
from litestar.openapi import OpenAPIConfig, ResponseSpec
from litestar.openapi.plugins import ScalarRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.plugins import ReceiveRoutePlugin
from litestar.router import Router
from litestar.routes import BaseRoute, HTTPRoute

from project.entrypoints.http.authentication import PUBLIC_KEY

BEARER = "bearer"
PROBLEM_MEDIA_TYPE = "application/problem+json"

_EVERY_API_CALL = (400, 401, 403, 404, 409, 422, 500)
_WITH_BODY = (413, 415)


class FieldError(msgspec.Struct, kw_only=True):
    source: str = ""
    key: str = ""
    message: str


class Problem(msgspec.Struct, kw_only=True):
    """An RFC 9457 problem; `code` is stable and meant for programs."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: list[FieldError] | msgspec.UnsetType = msgspec.UNSET
    checks: dict[str, str] | msgspec.UnsetType = msgspec.UNSET


class ProblemResponses(ReceiveRoutePlugin):
    """Documents the problems an operation can answer, unless the handler says otherwise."""

    def receive_route(self, route: BaseRoute) -> None:
        if not isinstance(route, HTTPRoute):
            return
        for handler in route.route_handlers:
            if handler.include_in_schema:
                documented = {code: problem_response() for code in _statuses(route, handler)}
                handler.responses = {**documented, **(handler.responses or {})}


def config(docs_path: str) -> OpenAPIConfig:
    return OpenAPIConfig(
        title="project",
        version=_version(),
        description="Bookmark and web-archive service. Errors are RFC 9457 problem+json.",
        components=Components(
            security_schemes={
                BEARER: SecurityScheme(
                    type="http",
                    scheme="bearer",
                    bearer_format="JWT access token, or a personal API token (pat_...)",
                    description="`Authorization: Bearer <token>`; API tokens also as `Token`.",
                )
            }
        ),
        security=[{BEARER: []}],
        render_plugins=[ScalarRenderPlugin()],
        openapi_router=Router(
            docs_path, route_handlers=[], include_in_schema=False, opt={PUBLIC_KEY: True}
        ),
    )


def problem_response(description: str = "A problem (RFC 9457).") -> ResponseSpec:
    return ResponseSpec(
        data_container=Problem,
        media_type=PROBLEM_MEDIA_TYPE,
        description=description,
        generate_examples=False,
    )


def _statuses(route: BaseRoute, handler: HTTPRouteHandler) -> tuple[int, ...]:
    if not route.path.startswith("/api/"):
        return (500,)
    return _EVERY_API_CALL + (_WITH_BODY if handler.parsed_data_field is not None else ())


def _version() -> str:
    try:
        return version("project")
    except PackageNotFoundError:  # a source tree that was never installed
        return "0.0.0"
