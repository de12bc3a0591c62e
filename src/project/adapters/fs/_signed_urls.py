"""Signed blob URLs for the directory store: HMAC-SHA256 over the key and every parameter."""

from __future__ import annotations

import hashlib
import hmac
import json
import math
from collections.abc import Callable
from datetime import datetime, timedelta
from urllib.parse import quote, urlencode

from project.domain.model.blobs import check_blob_key
from project.domain.model.errors import InvalidBlobKey

MAX_LIFETIME = timedelta(seconds=300)
MIN_SIGNING_KEY_BYTES = 16
# Bumping the purpose invalidates every URL signed before, on purpose.
_PURPOSE = "project.blob-get.v1"


def check_signed_url_request(expires_in: timedelta, *header_values: str) -> None:
    """Refuse a lifetime outside (0, 300 s] (S24) and header values that are not printable ASCII."""
    if not timedelta(0) < expires_in <= MAX_LIFETIME:
        raise ValueError(f"a signed URL lives at most {MAX_LIFETIME.seconds} s, not {expires_in}")
    for value in header_values:
        if not value or not all(" " <= c <= "~" for c in value):
            raise ValueError(f"header value must be printable ASCII with no linefeed: {value!r}")


class UrlSigner:
    """Signs `/blobs/{key}` URLs that expire, and checks them when the app serves one."""

    def __init__(self, signing_key: bytes, *, base_url: str, now: Callable[[], datetime]) -> None:
        if len(signing_key) < MIN_SIGNING_KEY_BYTES:
            raise ValueError(f"the signing key needs at least {MIN_SIGNING_KEY_BYTES} bytes")
        self._signing_key = signing_key
        self._base_url = base_url.rstrip("/")
        self._now = now

    def sign(self, key: str, *, content_type: str, disposition: str, expires_in: timedelta) -> str:
        check_signed_url_request(expires_in, content_type, disposition)
        lifetime = math.ceil(expires_in.total_seconds())
        expires = str(math.floor(self._now().timestamp()) + lifetime)
        query = {
            "expires": expires,
            "type": content_type,
            "disposition": disposition,
            "signature": self._signature(key, expires, content_type, disposition),
        }
        return f"{self._base_url}/blobs/{quote(key)}?{urlencode(query, quote_via=quote)}"

    def verify(
        self, key: str, *, expires: str, content_type: str, disposition: str, signature: str
    ) -> bool:
        try:
            check_blob_key(key)
        except InvalidBlobKey:
            return False
        if not (expires.isascii() and expires.isdigit()):
            return False
        remaining = int(expires) - self._now().timestamp()
        if not 0 < remaining <= MAX_LIFETIME.total_seconds():
            return False
        expected = self._signature(key, expires, content_type, disposition)
        return hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace"))

    def _signature(self, key: str, expires: str, content_type: str, disposition: str) -> str:
        # A JSON array keeps the fields apart: no value can spill into the next one.
        message = json.dumps([_PURPOSE, key, expires, content_type, disposition])
        return hmac.new(self._signing_key, message.encode(), hashlib.sha256).hexdigest()


class ServesSignedUrls:
    """A store whose files the app serves at `/blobs/{key}`: it signs the URLs it hands out
    and checks them when the app serves one. Needs `self._signer`."""

    _signer: UrlSigner

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
        """Whether the query of a URL from `signed_url` is intact, unexpired and for `key`."""
        return self._signer.verify(
            key,
            expires=expires,
            content_type=content_type,
            disposition=disposition,
            signature=signature,
        )
