"""Stored files, served through the expiring signed URLs the store hands out (S24).

Both stores (directory and S3) sign `/blobs/{key}` URLs, so every file reaches a browser
from here, with the sandbox CSP and nosniff of `headers.py`, never straight from a bucket.
"""

from __future__ import annotations

from typing import Annotated, Protocol, runtime_checkable

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Stream

from project.domain.model.errors import NotFound
from project.entrypoints.http.authentication import PUBLIC
from project.entrypoints.http.openapi import problem_response
from project.entrypoints.library import Project
from project.ports.blobs import BlobStore

_HeaderValue = Annotated[str, QueryParameter(max_length=256)]


@runtime_checkable
class _ChecksSignedUrls(BlobStore, Protocol):
    def verify_signed(
        self, key: str, *, expires: str, content_type: str, disposition: str, signature: str
    ) -> bool: ...


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
        if not isinstance(store, _ChecksSignedUrls) or not store.verify_signed(
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
