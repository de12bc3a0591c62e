"""S3 storage whose files the app serves itself (REQUIREMENTS S24).

A presigned S3 URL cannot carry `Content-Security-Policy: sandbox`, so an archived page
opened from the bucket would run its scripts on the bucket's origin, perhaps same-site with
the app. Instead the S3 store hands out the same expiring, HMAC-signed `/blobs/{key}` URLs as
the directory store; the app checks them and streams the object with the sandbox headers.
The cost is that file bytes pass through the app (a CDN in front of `/blobs/` takes it back).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from project.adapters.fs import ServesSignedUrls, UrlSigner
from project.adapters.s3 import LazyS3BlobStore


def _utc_now() -> datetime:
    return datetime.now(UTC)


class AppServedS3BlobStore(ServesSignedUrls, LazyS3BlobStore):
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
