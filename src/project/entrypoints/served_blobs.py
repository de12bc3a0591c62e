"""S3 storage whose files the app serves itself (REQUIREMENTS S24).

A presigned S3 URL cannot carry `Content-Security-Policy: sandbox`, so an archived page
opened from the bucket would run its scripts on the bucket's origin, perhaps same-site with
the app. Instead the S3 store hands out the same expiring, HMAC-signed `/blobs/{key}` URLs as
the directory store; the app checks them and streams the object with the sandbox headers.
The cost is that file bytes pass through the app (a CDN in front of `/blobs/` takes it back).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from project.adapters.fs import UrlSigner
from project.adapters.s3 import LazyS3BlobStore
from project.domain.model.blobs import check_blob_key


def _utc_now() -> datetime:
    return datetime.now(UTC)


class AppServedS3BlobStore(LazyS3BlobStore):
    def __init__(
        self,
        *,
        signing_key: bytes,
        base_url: str,
        now: Callable[[], datetime] = _utc_now,
        **options: Any,
    ) -> None:
        super().__init__(**options)
        self._signer = UrlSigner(signing_key, base_url=base_url, now=now)

    async def signed_url(
        self, key: str, *, content_type: str, disposition: str, expires_in: timedelta
    ) -> str:
        return self._signer.sign(
            check_blob_key(key),
            content_type=content_type,
            disposition=disposition,
            expires_in=expires_in,
        )

    def verify_signed(
        self, key: str, *, expires: str, content_type: str, disposition: str, signature: str
    ) -> bool:
        return self._signer.verify(
            key,
            expires=expires,
            content_type=content_type,
            disposition=disposition,
            signature=signature,
        )
