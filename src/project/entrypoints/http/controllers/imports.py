"""Imports over HTTP (SPEC 3.6): upload a bookmark file, then poll the job's status resource.

The upload has its own body cap, `import_max_mib` from the settings, instead of the app's
1 MiB (S16). The cap is a setting, not a constant, so it is enforced by this route's request
class while the body streams in: Litestar spools the file part to a temporary file (to disk
past 1 MiB) and the handler streams that on to the service in chunks.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator
from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.connection import ASGIConnection
from litestar.datastructures import ResponseHeader, UploadFile
from litestar.di import NamedDependency
from litestar.handlers.base import BaseRouteHandler
from litestar.params import FromPath, MultipartBody

from project.domain.model.ids import ImportJobId
from project.domain.model.principal import Principal
from project.domain.services.imports import ImportJobService
from project.entrypoints.http.problems import problem, unsupported_media_type
from project.entrypoints.http.schemas.imports import ImportJobOut, ImportUpload
from project.entrypoints.library import Project

PATH = "/api/v1/imports"
MIB = 1024 * 1024
CHUNK_SIZE = 64 * 1024
MULTIPART = "multipart/form-data"


class ImportUploadRequest(Request[Any, Any, Any]):
    """A request whose body may grow to the configured import cap, and no further (413)."""

    async def stream(self) -> AsyncGenerator[bytes, None]:
        project: Project = self.app.state.project
        cap = project.settings.import_max_mib * MIB
        if (self.content_length or 0) > cap:
            raise _too_large(project.settings.import_max_mib)
        received = 0
        async for chunk in super().stream():
            received += len(chunk)
            if received > cap:
                raise _too_large(project.settings.import_max_mib)
            yield chunk


def require_multipart(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """415 for anything but a form upload (Litestar would answer a vague 400)."""
    media_type = connection.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type != MULTIPART:
        raise unsupported_media_type(MULTIPART)


class ImportController(Controller):
    path = PATH
    tags = ["import and export"]

    @post(
        "/",
        status_code=202,
        summary="Upload a bookmark file to import (Netscape HTML or JSON Lines)",
        request_class=ImportUploadRequest,
        request_max_body_size=None,  # ImportUploadRequest applies the configured cap
        guards=[require_multipart],
        response_headers=[
            ResponseHeader(
                name="Location",
                value=f"{PATH}/<id>",
                documentation_only=True,
                description="The job's status resource; poll it until `done` or `failed`.",
            )
        ],
    )
    async def submit_import(
        self,
        data: MultipartBody[ImportUpload],
        import_jobs: NamedDependency[ImportJobService],
        principal: NamedDependency[Principal],
    ) -> Response[ImportJobOut]:
        try:
            job = await import_jobs.submit(
                principal,
                _chunks(data.file),
                file_name=data.file.filename,
                file_format=data.format,
                mode=data.mode,
                folders_as_tags=data.folders_as_tags,
            )
        finally:
            await data.file.close()
        location = {"Location": f"{PATH}/{job.id}"}
        return Response(ImportJobOut.of(job), status_code=202, headers=location)

    @get("/{job_id:uuid}", summary="The status and report of an import")
    async def get_import(
        self,
        job_id: FromPath[UUID],
        import_jobs: NamedDependency[ImportJobService],
        principal: NamedDependency[Principal],
    ) -> ImportJobOut:
        return ImportJobOut.of(await import_jobs.get(principal, ImportJobId(job_id)))


async def _chunks(upload: UploadFile) -> AsyncIterator[bytes]:
    while chunk := await upload.read(CHUNK_SIZE):
        yield chunk


def _too_large(cap_mib: int) -> Exception:
    return problem(413, "payload_too_large", f"An import file may be at most {cap_mib} MiB.")
