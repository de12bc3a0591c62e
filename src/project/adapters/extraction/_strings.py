"""Bounded, single-line strings and absolute http(s) URLs out of untrusted markup."""

from __future__ import annotations

import re
from urllib.parse import unquote, urljoin, urlsplit

MAX_URL_LENGTH = 2048
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_URL_NOISE = re.compile(r"[\t\n\r]")
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*")


def one_line(value: str | None, limit: int) -> str:
    """Trimmed, whitespace collapsed, control characters gone, at most `limit` characters."""
    if not value:
        return ""
    return " ".join(_CONTROLS.sub(" ", value).split())[:limit].rstrip()


def language_tag(value: str | None, limit: int) -> str:
    """A BCP 47-looking tag ("en", "pt-BR"); Open Graph's "en_US" becomes "en-US"."""
    tag = one_line(value, limit).replace("_", "-")
    return tag if _LANGUAGE_TAG.fullmatch(tag) else ""


def absolute_url(reference: str | None, base: str) -> str | None:
    """`reference` resolved against `base`, if the result is an http(s) URL we could fetch."""
    if not reference:
        return None
    reference = _URL_NOISE.sub("", reference).strip()
    if not reference:
        return None
    try:
        url = urljoin(base, reference)
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number in range
    except ValueError:
        return None
    fetchable = parts.scheme in ("http", "https") and parts.hostname and parts.username is None
    return url if fetchable and len(url) <= MAX_URL_LENGTH else None


def site_favicon(page_url: str) -> str | None:
    """/favicon.ico at the page's origin."""
    try:
        parts = urlsplit(page_url)
    except ValueError:
        return None
    host_and_port = parts.netloc.rpartition("@")[2]
    return absolute_url("/favicon.ico", f"{parts.scheme}://{host_and_port}/")


def file_name(url: str, limit: int) -> str:
    """The URL's last path segment, percent-decoded ("report.pdf"), or ""."""
    try:
        path = urlsplit(url).path
    except ValueError:
        return ""
    return one_line(unquote(path.rstrip("/").rpartition("/")[2]), limit)
