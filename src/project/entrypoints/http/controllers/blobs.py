"""Files of the directory store, served through the expiring signed URLs it hands out (S24).

With S3 the store hands out presigned S3 URLs instead, and this route answers 404.
"""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Stream

from project.adapters.fs.blob_store import LocalDirectoryBlobStore
from project.domain.model.errors import NotFound
from project.entrypoints.http.authentication import PUBLIC
from project.entrypoints.http.openapi import problem_response
from project.entrypoints.library import Project

_HeaderValue = Annotated[str, QueryParameter(max_length=256)]


class BlobController(Controller):
    path = "/blobs"
    tags = ["files"]

    @get(
        "/{key:path}",
        **PUBLIC,
        summary="Download a stored file through a signed URL",
        responses={404: problem_response("The URL is unknown, tampered with or expired.")},
    )
    async def download(
        self,
        key: FromPath[str],
        project: NamedDependency[Project],
        expires: Annotated[str, QueryParameter(max_length=20)],
        content_type: Annotated[str, QueryParameter(name="type", max_length=256)],
        disposition: _HeaderValue,
        signature: Annotated[str, QueryParameter(max_length=128)],
    ) -> Stream:
        store = project.container.blobs()
        key = key.lstrip("/")
        # Every failure answers alike: a probe learns nothing about which keys exist.
        if not isinstance(store, LocalDirectoryBlobStore) or not store.verify_signed(
            key,
            expires=expires,
            content_type=content_type,
            disposition=disposition,
            signature=signature,
        ):
            raise NotFound("No such file, or the link expired.")
        info = await store.head(key)
        if info is None:
            raise NotFound("No such file, or the link expired.")
        return Stream(
            store.get(key),
            media_type=content_type,
            headers={
                # Given whole, so Litestar adds no charset of its own to a text type.
                "content-type": content_type,
                "content-disposition": disposition,
                "content-length": str(info.size),
                "cache-control": "private, max-age=60",
            },
        )
