"""What a response means for the fetch: a redirect, a resource, or a failure (SPEC 3.7)."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

from project.domain.model.archiving import FetchedResource
from project.domain.model.errors import FetchFailed

REDIRECTS = frozenset({301, 302, 303, 307, 308})
_RETRYABLE = frozenset({408, 429})


def redirect_location(response: httpx.Response) -> str | None:
    """The Location of a redirect, None for any other response."""
    if response.status_code not in REDIRECTS:
        return None
    location = response.headers.get("location", "").strip()
    if not location:
        raise FetchFailed(
            f"The server answered {response.status_code} without a Location.", permanent=True
        )
    return location


def check_status(response: httpx.Response) -> None:
    """Raise FetchFailed unless the response is a success (2xx)."""
    status = response.status_code
    if 200 <= status < 300:
        return
    retryable = status in _RETRYABLE or 500 <= status < 600
    raise FetchFailed(
        f"The server answered {status}.",
        permanent=not retryable,
        retry_after_seconds=retry_after(response.headers.get("retry-after")) if retryable else None,
    )


async def read_resource(response: httpx.Response, url: str, max_bytes: int) -> FetchedResource:
    """Read the body, refusing one over `max_bytes` as soon as that is known."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise _too_large(max_bytes)
    body = bytearray()
    async for chunk in response.aiter_bytes():
        body += chunk
        if len(body) > max_bytes:
            raise _too_large(max_bytes)
    content_type = response.headers.get("content-type", "")
    return FetchedResource(
        url=url,
        status=response.status_code,
        media_type=content_type.split(";", 1)[0].strip().lower() or "application/octet-stream",
        charset=response.charset_encoding,
        body=bytes(body),
    )


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: a number of seconds or an HTTP date."""
    if value is None:
        return None
    text = value.strip()
    if text.isascii() and text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _too_large(max_bytes: int) -> FetchFailed:
    return FetchFailed(f"The response is too large (over {max_bytes} bytes).", permanent=True)
