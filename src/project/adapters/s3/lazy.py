"""An S3 store that opens its client on first use, for containers built outside an event loop."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, AsyncIterator
from datetime import timedelta
from typing import Any

from project.adapters.s3.blob_store import S3BlobStore
from project.domain.model.blobs import BlobInfo, check_blob_key


class LazyS3BlobStore:
    """The `BlobStore` port over an `S3BlobStore` opened by the first call that needs it.

    The dependency container is built synchronously (CLI, app factory), but the aioboto3
    client must be entered on the loop that uses it; this defers that to the first await.
    """

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._store: S3BlobStore | None = None
        self._lock = asyncio.Lock()

    async def _open(self) -> S3BlobStore:
        if self._store is None:
            async with self._lock:
                if self._store is None:
                    self._store = await S3BlobStore.open(**self._options)
        return self._store

    async def aclose(self) -> None:
        if self._store is not None:
            store, self._store = self._store, None
            await store.aclose()

    async def check_bucket(self) -> None:
        await (await self._open()).check_bucket()

    async def ensure_bucket(self) -> None:
        await (await self._open()).ensure_bucket()

    async def put(self, key: str, chunks: AsyncIterable[bytes], *, content_type: str) -> BlobInfo:
        return await (await self._open()).put(key, chunks, content_type=content_type)

    def get(self, key: str) -> AsyncIterator[bytes]:
        check_blob_key(key)  # fail at the call, as the eager stores do
        return self._get(key)

    async def _get(self, key: str) -> AsyncIterator[bytes]:
        async for chunk in (await self._open()).get(key):
            yield chunk

    async def head(self, key: str) -> BlobInfo | None:
        return await (await self._open()).head(key)

    async def delete(self, key: str) -> None:
        await (await self._open()).delete(key)

    def list(self, prefix: str) -> AsyncIterator[BlobInfo]:
        return self._list(prefix)

    async def _list(self, prefix: str) -> AsyncIterator[BlobInfo]:
        async for info in (await self._open()).list(prefix):
            yield info

    async def signed_url(
        self, key: str, *, content_type: str, disposition: str, expires_in: timedelta
    ) -> str:
        store = await self._open()
        return await store.signed_url(
            key, content_type=content_type, disposition=disposition, expires_in=expires_in
        )
