"""Exports over HTTP (SPEC 3.6): every bookmark of the caller as a streamed download."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated

from litestar import Controller, get
from litestar.datastructures import ResponseHeader
from litestar.di import NamedDependency
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIResponse, OpenAPIType, Operation, Schema
from litestar.params import QueryParameter
from litestar.response import Stream

from project.domain.model.principal import Principal
from project.domain.services.exports import ExportFormat, ExportService
from project.entrypoints.formats import file_writers

Format = Annotated[
    ExportFormat,
    QueryParameter(name="format", description="netscape: HTML any browser imports; jsonl: all."),
]


@dataclass
class ExportOperation(Operation):
    """Documents the download under the media type of every format, not as JSON."""

    def __post_init__(self) -> None:
        success = (self.responses or {}).get("200")
        if isinstance(success, OpenAPIResponse):
            file = OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING))
            media_types = sorted({writer.media_type for writer in file_writers().values()})
            success.content = dict.fromkeys(media_types, file)


class ExportController(Controller):
    path = "/api/v1/exports"
    tags = ["import and export"]

    @get(
        "/",
        summary="Download every bookmark of the caller",
        operation_class=ExportOperation,
        response_description="The bookmark file, streamed.",
        response_headers=[
            ResponseHeader(
                name="Content-Disposition",
                value='attachment; filename="bookmarks-YYYY-MM-DD.html"',
                documentation_only=True,
            )
        ],
    )
    async def export_bookmarks(
        self,
        exports: NamedDependency[ExportService],
        principal: NamedDependency[Principal],
        file_format: Format = ExportFormat.NETSCAPE,
    ) -> Stream:
        writer = exports.writer(file_format)
        name = f"bookmarks-{datetime.now(UTC):%Y-%m-%d}.{writer.extension.lstrip('.')}"
        return Stream(
            exports.stream(principal.user_id, file_format),
            media_type=writer.media_type,
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
