"""Route guards that apply to every handler."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.enums import RequestEncodingType
from litestar.exceptions import ValidationException
from litestar.handlers.base import BaseRouteHandler
from litestar.params import BodyKwarg
from litestar.typing import FieldDefinition

from project.entrypoints.http.problems import unsupported_media_type


async def require_json_body(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """A handler that reads a JSON body gets JSON or a 415 (S16); Litestar would parse anyway.

    Async although it awaits nothing: Litestar runs a sync guard in a worker thread."""
    if _json_body(handler) is None:
        return
    media_type = connection.headers.get("content-type", "").partition(";")[0].strip().lower()
    is_json = media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )
    if not is_json:
        raise unsupported_media_type("application/json")


async def strict_json_body(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """A JSON body matches its schema strictly (S16): `0` is not `false`, nor `"5"` a `5`.

    Litestar converts bodies as leniently as query strings; this converts the body once more,
    strictly, against the handler's type. As in JSON Schema, `7.0` is an integer. A mismatch
    is the 400 any schema violation gets; malformed JSON is left to Litestar.
    """
    data = _json_body(handler)
    if data is None or not isinstance(connection, Request):
        return
    try:
        value = msgspec.json.decode(await connection.body())
    except msgspec.DecodeError:
        return
    try:
        msgspec.convert(_integral(value), data.annotation, strict=True)
    except msgspec.ValidationError as error:
        message, _, path = str(error).partition(" - at `$")
        key = path.removesuffix("`").removeprefix(".")
        raise ValidationException(
            extra=[{"source": "body", "key": key, "message": message}]
        ) from None


def _json_body(handler: BaseRouteHandler) -> FieldDefinition | None:
    data = handler.parsed_data_field
    if data is None or not isinstance(data.kwarg_definition, BodyKwarg):
        return None
    return data if data.kwarg_definition.media_type == RequestEncodingType.JSON else None


def _integral(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_integral(item) for item in value]
    if isinstance(value, dict):
        return {key: _integral(item) for key, item in value.items()}
    return value
