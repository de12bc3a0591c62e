"""Bookmark URLs: validation and the canonical form used for deduplication (SPEC 3.2).

`check_bookmark_url` decides what may be saved; `canonical_url` maps every spelling of one
address to one string, so "one bookmark per owner and canonical URL" holds. The canonical
form is pure ASCII, idempotent, and never raises for a URL that `check_bookmark_url` accepts.
"""

from __future__ import annotations

import ipaddress
import unicodedata
from typing import NamedTuple
from urllib.parse import unquote_to_bytes, urlsplit

from project.domain.model.errors import InvalidUrl

MAX_URL_LENGTH = 2048

# Query parameters that only say where a click came from. An entry ending in "*" is a prefix.
TRACKING_PARAMETERS = (
    "utm_*",
    "fbclid",
    "gclid",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "mc_cid",
    "mc_eid",
    "igshid",
    "yclid",
    "twclid",
    "ttclid",
    "li_fat_id",
    "mkt_tok",
    "_hsenc",
    "_hsmi",
    "_gl",
    "ref_src",
    "oly_anon_id",
    "oly_enc_id",
    "vero_id",
)

_DEFAULT_PORTS = {"http": 80, "https": 443}
_HEX = frozenset("0123456789abcdefABCDEF")
_UNRESERVED = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
_SUB_DELIMS = frozenset("!$&'()*+,;=")
# RFC 3986 reg-name characters, less pct-encoding: what an ASCII host may hold.
_HOST_CHARS = _UNRESERVED | _SUB_DELIMS
_PATH_CHARS = _UNRESERVED | _SUB_DELIMS | frozenset(":@/")
# In a query key or value "&" separates pairs, and in a key "=" ends it: those stay encoded.
_KEY_CHARS = (_UNRESERVED | _SUB_DELIMS | frozenset(":@/?")) - frozenset("&=")
_VALUE_CHARS = _KEY_CHARS | frozenset("=")


class _Parts(NamedTuple):
    scheme: str
    host: str
    port: int | None
    path: str
    query: str


def check_bookmark_url(url: str) -> str:
    """Return `url` stripped when it may be saved as a bookmark.

    Only absolute http(s) URLs with a host; no credentials (`user:pass@` is a phishing
    trick: `https://bank.example@evil.example/`), no whitespace or control characters.

    Raises:
        InvalidUrl: with a message saying which rule failed.
    """
    text = url.strip()
    if len(text) > MAX_URL_LENGTH:
        raise InvalidUrl(f"A URL must be at most {MAX_URL_LENGTH} characters.")
    _split(text)
    return text


def canonical_url(url: str) -> str:
    """The one spelling under which a bookmark's address is compared (SPEC 3.2).

    Lowercase scheme and host, IDNA host, no default port, no fragment, no tracking
    parameters, sorted query, normalized percent-encoding, "/" for an empty path.

    Raises:
        InvalidUrl: only for text `check_bookmark_url` would refuse (the length limit aside,
            so canonical forms, which may be longer, canonicalize again).
    """
    parts = _split(url.strip())
    port = "" if parts.port in (None, _DEFAULT_PORTS[parts.scheme]) else f":{parts.port}"
    query = _canonical_query(parts.query)
    return (
        f"{parts.scheme}://{canonical_host(parts.host)}{port}"
        f"{_canonical_path(parts.path)}{'?' + query if query else ''}"
    )


def canonical_host(host: str) -> str:
    """Lowercase ASCII host: IDNA for a Unicode name, compressed form for IPv6.

    When a Unicode name cannot be IDNA-encoded, its UTF-8 bytes are percent-encoded in
    lowercase instead: still one stable spelling, without refusing a URL a browser opens.

    Raises:
        InvalidUrl: the text is not a host a bookmark URL may have.
    """
    _check_host(host)
    if host.startswith("["):
        return f"[{ipaddress.IPv6Address(host[1:-1]).compressed}]"
    name = _decoded_host(host).lower()
    if name.isascii():
        return name
    try:
        encoded = name.encode("idna").decode("ascii").lower()
    except UnicodeError:
        encoded = ""
    if encoded and all(c in _HOST_CHARS for c in encoded):
        return encoded
    return "".join(c if c.isascii() else _percent_encode(c).lower() for c in name)


def _split(text: str) -> _Parts:
    if not text:
        raise InvalidUrl("Enter a URL such as https://example.com/.")
    if any(_is_unsafe(c) for c in text):
        raise InvalidUrl("A URL cannot contain spaces or control characters.")
    try:
        parts = urlsplit(text)
    except ValueError:
        raise InvalidUrl("This is not a valid URL.") from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise InvalidUrl("Only http and https URLs can be saved.")
    if "@" in parts.netloc:
        raise InvalidUrl("A URL cannot carry a user name or password.")
    host, port = _split_authority(parts.netloc)
    _check_host(host)
    return _Parts(scheme, host, port, parts.path, parts.query)


def _is_unsafe(char: str) -> bool:
    """Whitespace, controls and invisible formatting (bidi overrides hide a URL's target)."""
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Cs")


def _split_authority(netloc: str) -> tuple[str, int | None]:
    if netloc.startswith("["):
        end = netloc.find("]") + 1
        host, rest = netloc[:end], netloc[end:]
        if end == 0 or (rest and not rest.startswith(":")):
            raise InvalidUrl("The URL's IPv6 address is malformed.")
        port_text = rest[1:]
    else:
        host, _, port_text = netloc.partition(":")
    if not port_text:
        return host, None
    if not (port_text.isascii() and port_text.isdigit()) or not 0 < int(port_text) < 65536:
        raise InvalidUrl("The URL's port must be a number from 1 to 65535.")
    return host, int(port_text)


def _check_host(host: str) -> None:
    if not host:
        raise InvalidUrl("A URL must name a host, as in https://example.com/.")
    if host.startswith("["):
        try:
            ipaddress.IPv6Address(host[1:-1] if host.endswith("]") else "-")
        except ValueError:
            raise InvalidUrl("The URL's IPv6 address is malformed.") from None
        if "%" in host:
            raise InvalidUrl("The URL's IPv6 address is malformed.")
        return
    if not _is_host_text(host):
        raise InvalidUrl("The URL's host name contains characters a host cannot have.")


def _is_host_text(host: str) -> bool:
    """Reg-name characters or non-ASCII ones that do not fold (NFKC) into delimiters."""
    for index, char in enumerate(host):
        if char == "%":
            escape = host[index + 1 : index + 3]
            if len(escape) != 2 or not set(escape) <= _HEX:
                return False
        elif char.isascii() and char not in _HOST_CHARS:
            return False
    folded = unicodedata.normalize("NFKC", host.replace("%", ""))
    return all(c in _HOST_CHARS for c in folded if c.isascii())


def _decoded_host(host: str) -> str:
    """Undo percent-encoding in a host when the result is a plain host name.

    `ex%41mple.com` is `example.com`; a sequence that decodes to a delimiter, a "%", or
    invalid UTF-8 stays encoded, so decoding once is decoding for good.
    """
    if "%" not in host:
        return host
    try:
        name = unquote_to_bytes(host).decode("utf-8")
    except UnicodeDecodeError:
        return host
    plain = bool(name) and "%" not in name and not any(_is_unsafe(c) for c in name)
    return name if plain and _is_host_text(name) else host


def _canonical_path(path: str) -> str:
    return _remove_dot_segments(_normalize_escapes(path or "/", _PATH_CHARS))


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 5.2.4 on an absolute path: `/a/./b/../c` is `/a/c`."""
    kept: list[str] = []
    segments = path.split("/")[1:]
    for segment in segments:
        if segment == "..":
            if kept:
                kept.pop()
        elif segment != ".":
            kept.append(segment)
    if segments and segments[-1] in (".", ".."):
        kept.append("")
    return "/" + "/".join(kept)


def _canonical_query(query: str) -> str:
    pairs: list[tuple[str, str]] = []
    for piece in query.split("&"):
        if not piece:
            continue
        key, equals, value = piece.partition("=")
        key = _normalize_escapes(key, _KEY_CHARS)
        if not _is_tracking(key):
            pairs.append((key, equals + _normalize_escapes(value, _VALUE_CHARS)))
    pairs.sort(key=lambda pair: pair[0])  # stable: equal keys keep their order
    return "&".join(key + rest for key, rest in pairs)


def _is_tracking(key: str) -> bool:
    name = key.lower()
    return any(
        name.startswith(entry[:-1]) if entry.endswith("*") else name == entry
        for entry in TRACKING_PARAMETERS
    )


def _normalize_escapes(text: str, allowed: frozenset[str]) -> str:
    """Decode escaped unreserved characters, uppercase other escapes, encode the rest.

    A "%" that starts no valid escape is itself encoded (`%25`), so the result always
    decodes to the same bytes as the input meant.
    """
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        escape = text[index + 1 : index + 3]
        if char == "%" and len(escape) == 2 and set(escape) <= _HEX:
            decoded = chr(int(escape, 16))
            out.append(decoded if decoded in _UNRESERVED else f"%{escape.upper()}")
            index += 3
            continue
        out.append(char if char in allowed else _percent_encode(char))
        index += 1
    return "".join(out)


def _percent_encode(char: str) -> str:
    return "".join(f"%{byte:02X}" for byte in char.encode("utf-8", "surrogatepass"))
