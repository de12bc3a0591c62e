"""Route guards that apply to every handler."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.enums import RequestEncodingType
from litestar.handlers.base import BaseRouteHandler
from litestar.params import BodyKwarg

from project.entrypoints.http.problems import unsupported_media_type


def require_json_body(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """A handler that reads a JSON body gets JSON or a 415 (S16); Litestar would parse anyway."""
    data = handler.parsed_data_field
    if data is None or not isinstance(data.kwarg_definition, BodyKwarg):
        return
    if data.kwarg_definition.media_type != RequestEncodingType.JSON:
        return
    media_type = connection.headers.get("content-type", "").partition(";")[0].strip().lower()
    is_json = media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )
    if not is_json:
        raise unsupported_media_type("application/json")
