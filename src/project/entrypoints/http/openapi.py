"""The OpenAPI document at `/schema`: bearer security, and problem+json error responses.

Litestar documents errors in its own `{status_code, detail}` shape; this app answers RFC 9457
problems, so every operation's error responses are rewritten to the `Problem` schema as its
route is registered (a document that lies would fail schemathesis, B10). Request bodies say
what the app enforces and Litestar leaves out: no unknown fields, the bounds of list items.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

import msgspec
import msgspec.inspect
from litestar._openapi.schema_generation import SchemaCreator
from litestar._openapi.schema_generation.plugins.struct import StructSchemaPlugin
from litestar.handlers import HTTPRouteHandler
from litestar.openapi import OpenAPIConfig, ResponseSpec
from litestar.openapi.plugins import ScalarRenderPlugin
from litestar.openapi.spec import Components, OpenAPIType, Schema, SecurityScheme
from litestar.plugins import ReceiveRoutePlugin
from litestar.router import Router
from litestar.routes import BaseRoute, HTTPRoute
from litestar.typing import FieldDefinition

from project.entrypoints.http.authentication import PUBLIC_KEY
from project.entrypoints.http.rate_limits import EXEMPT_PREFIX

BEARER = "bearer"
PROBLEM_MEDIA_TYPE = "application/problem+json"

# Any route can refuse a malformed request (a Host outside the allowlist, a bad parameter)
# and can fail; the rate limits (S31) answer 429 on every route but the health checks.
_EVERY_CALL = (400, 500)
_EVERY_API_CALL = (400, 401, 403, 404, 409, 422, 429, 500)
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


class StrictBodies(StructSchemaPlugin):
    """Request bodies (Structs that forbid unknown fields, S15) as strict as the app is.

    Litestar's own Struct plugin (private; no public hook exists) omits
    `additionalProperties: false` and the bounds of list items (`list[Tag]`), so the document
    said extra fields and 500-character tags were fine while the app answers them 400.
    Registered before Litestar's plugins, this one is asked first.
    """

    def is_plugin_supported_field(self, field_definition: FieldDefinition) -> bool:
        return (
            super().is_plugin_supported_field(field_definition)
            and field_definition.type_.__struct_config__.forbid_unknown_fields
        )

    def to_openapi_schema(
        self, field_definition: FieldDefinition, schema_creator: SchemaCreator
    ) -> Schema:
        schema = super().to_openapi_schema(field_definition, schema_creator)
        schema.additional_properties = False
        for field in msgspec.inspect.type_info(field_definition.type_).fields:  # type: ignore[attr-defined]
            item = _str_item(field.type)
            prop = (schema.properties or {}).get(field.encode_name)
            if item is not None and isinstance(prop, Schema):
                _bound_items(prop, item)
        return schema


def _str_item(type_: msgspec.inspect.Type) -> msgspec.inspect.StrType | None:
    """The item type of a list of strings, whether optional or not."""
    types = type_.types if isinstance(type_, msgspec.inspect.UnionType) else (type_,)
    for candidate in types:
        if isinstance(candidate, msgspec.inspect.ListType) and isinstance(
            candidate.item_type, msgspec.inspect.StrType
        ):
            return candidate.item_type
    return None


def _bound_items(prop: Schema, item: msgspec.inspect.StrType) -> None:
    for array in (prop, *(prop.one_of or ()), *(prop.any_of or ())):
        if isinstance(array, Schema) and array.type == OpenAPIType.ARRAY:
            array.items = Schema(
                type=OpenAPIType.STRING,
                min_length=item.min_length,
                max_length=item.max_length,
                pattern=item.pattern,
            )


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
        return _EVERY_CALL + (() if route.path.startswith(EXEMPT_PREFIX) else (429,))
    return _EVERY_API_CALL + (_WITH_BODY if handler.parsed_data_field is not None else ())


def _version() -> str:
    try:
        return version("project")
    except PackageNotFoundError:  # a source tree that was never installed
        return "0.0.0"
