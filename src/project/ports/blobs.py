"""Where files live: a local directory when embedded, S3 in production (SPEC 3.7, S23, S24)."""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator
from datetime import timedelta
from typing import Protocol

from project.domain.model.blobs import BlobInfo


class BlobStore(Protocol):
    """Streams objects in and out by generated key (see `check_blob_key`).

    Every method validates the key first and raises InvalidBlobKey on a bad one. Failures of
    the backing service raise StorageUnavailable, so jobs can retry (R4).
    """

    async def put(self, key: str, chunks: AsyncIterable[bytes], *, content_type: str) -> BlobInfo:
        """Store the object, replacing any at the key; readers never see a partial object."""
        ...

    def get(self, key: str) -> AsyncIterator[bytes]:
        """Yield the object's bytes in chunks; raises BlobNotFound when it does not exist."""
        ...

    async def head(self, key: str) -> BlobInfo | None: ...
    async def delete(self, key: str) -> None:
        """Remove the object; deleting a missing key is not an error."""
        ...

    def list(self, prefix: str) -> AsyncIterator[BlobInfo]:
        """Every object whose key starts with `prefix` (a key prefix, may be empty)."""
        ...

    async def signed_url(
        self, key: str, *, content_type: str, disposition: str, expires_in: timedelta
    ) -> str:
        """A URL that serves the object for `expires_in` (at most 300 s, S24) with the given
        Content-Type and Content-Disposition forced, whoever asks."""
        ...
