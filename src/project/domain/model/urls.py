"""Bookmark URLs: validation and the canonical form used for deduplication (SPEC 3.2).

`check_bookmark_url` decides what may be saved; `canonical_url` maps every spelling of one
address to one string, so "one bookmark per owner and canonical URL" holds. The canonical
form is pure ASCII, idempotent, and never raises for a URL that `check_bookmark_url` accepts.
"""

from __future__ import annotations

import ipaddress
import re
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

# Fast paths: an import runs these rules on every entry, so the common case (a plain ASCII
# URL) is decided by precompiled patterns; anything unusual takes the general code. Each
# pattern only accepts text on which the general code would give the same answer.
_ASCII_UNSAFE = re.compile(r"[\x00-\x20\x7f]")  # the ASCII characters `_is_unsafe` refuses
# How `urlsplit` cuts `http(s)://authority/path?query#fragment` when the authority holds no
# "[", "]" or "@" (IPv6 addresses and credentials take the general path).
_SIMPLE_URL = re.compile(
    r"(?P<scheme>https?)://(?P<netloc>[^/?#\[\]@]*)"
    r"(?P<path>/[^?#]*)?(?:\?(?P<query>[^#]*))?(?:#|\Z)",
    re.ASCII | re.IGNORECASE,
)
_EXACT_TRACKING = frozenset(name for name in TRACKING_PARAMETERS if not name.endswith("*"))
_TRACKING_PREFIXES = tuple(name[:-1] for name in TRACKING_PARAMETERS if name.endswith("*"))


def _class_of(chars: frozenset[str], *, negated: bool = False) -> str:
    return ("[^" if negated else "[") + "".join(re.escape(c) for c in sorted(chars)) + "]"


_PLAIN_HOST = re.compile(_class_of(_HOST_CHARS) + "+")


def _to_normalize(allowed: frozenset[str]) -> re.Pattern[str]:
    """What `_normalize_escapes` changes in a part of a URL: an escape, or a character outside
    `allowed` (which never holds "%": one that starts no escape is encoded)."""
    return re.compile("%[0-9A-Fa-f]{2}|" + _class_of(allowed, negated=True))


_PATH = _to_normalize(_PATH_CHARS)
_KEY = _to_normalize(_KEY_CHARS)
_VALUE = _to_normalize(_VALUE_CHARS)


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
    text = _within_limit(url.strip())
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
    return _canonical(_split(url.strip()))


def checked_and_canonical_url(url: str) -> tuple[str, str]:
    """`check_bookmark_url(url)` and the canonical form of what it returns, parsing once.

    Raises:
        InvalidUrl: as `check_bookmark_url`.
    """
    text = _within_limit(url.strip())
    return text, _canonical(_split(text))


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


def _within_limit(text: str) -> str:
    if len(text) > MAX_URL_LENGTH:
        raise InvalidUrl(f"A URL must be at most {MAX_URL_LENGTH} characters.")
    return text


def _canonical(parts: _Parts) -> str:
    port = "" if parts.port in (None, _DEFAULT_PORTS[parts.scheme]) else f":{parts.port}"
    query = _canonical_query(parts.query)
    return (
        f"{parts.scheme}://{canonical_host(parts.host)}{port}"
        f"{_canonical_path(parts.path)}{'?' + query if query else ''}"
    )


def _split(text: str) -> _Parts:
    if not text:
        raise InvalidUrl("Enter a URL such as https://example.com/.")
    simple = text.isascii() and _SIMPLE_URL.match(text)
    if simple:  # ASCII: only the ASCII characters `_is_unsafe` refuses need looking for
        if _ASCII_UNSAFE.search(text):
            raise InvalidUrl("A URL cannot contain spaces or control characters.")
        scheme, netloc, path, query = simple.group("scheme", "netloc", "path", "query")
        scheme, path, query = scheme.lower(), path or "", query or ""
    else:
        scheme, netloc, path, query = _urlsplit(text)
    if scheme not in _DEFAULT_PORTS:
        raise InvalidUrl("Only http and https URLs can be saved.")
    if "@" in netloc:
        raise InvalidUrl("A URL cannot carry a user name or password.")
    host, port = split_authority(netloc)
    _check_host(host)
    return _Parts(scheme, host, port, path, query)


def _urlsplit(text: str) -> tuple[str, str, str, str]:
    if any(_is_unsafe(c) for c in text):
        raise InvalidUrl("A URL cannot contain spaces or control characters.")
    try:
        parts = urlsplit(text)
    except ValueError:
        raise InvalidUrl("This is not a valid URL.") from None
    return parts.scheme.lower(), parts.netloc, parts.path, parts.query


def _is_unsafe(char: str) -> bool:
    """Whitespace, controls and invisible formatting (bidi overrides hide a URL's target)."""
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Cs")


def split_authority(netloc: str) -> tuple[str, int | None]:
    """The host (brackets kept for IPv6) and the port, if any; InvalidUrl when malformed."""
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
    if _PLAIN_HOST.fullmatch(host):
        return  # ASCII host characters only: nothing to decode or fold
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
    return _remove_dot_segments(_normalize_escapes(path or "/", _PATH))


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 5.2.4 on an absolute path: `/a/./b/../c` is `/a/c`."""
    if path.startswith("/") and "/." not in path:
        return path  # no segment is "." or ".."
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
    if not query:
        return ""
    pairs: list[tuple[str, str]] = []
    for piece in query.split("&"):
        if not piece:
            continue
        key, equals, value = piece.partition("=")
        key = _normalize_escapes(key, _KEY)
        if not _is_tracking(key):
            pairs.append((key, equals + _normalize_escapes(value, _VALUE)))
    pairs.sort(key=lambda pair: pair[0])  # stable: equal keys keep their order
    return "&".join(key + rest for key, rest in pairs)


def _is_tracking(key: str) -> bool:
    name = key.lower()
    return name in _EXACT_TRACKING or name.startswith(_TRACKING_PREFIXES)


def _normalize_escapes(text: str, to_change: re.Pattern[str]) -> str:
    """Decode escaped unreserved characters, uppercase other escapes, encode the rest.

    A "%" that starts no valid escape is itself encoded (`%25`), so the result always
    decodes to the same bytes as the input meant.
    """
    return to_change.sub(_normalized, text)


def _normalized(found: re.Match[str]) -> str:
    text = found[0]
    if len(text) == 1:  # a character outside the allowed set (a lone "%" among them)
        return _percent_encode(text)
    decoded = chr(int(text[1:], 16))
    return decoded if decoded in _UNRESERVED else text.upper()


def _percent_encode(char: str) -> str:
    return "".join(f"%{byte:02X}" for byte in char.encode("utf-8", "surrogatepass"))
