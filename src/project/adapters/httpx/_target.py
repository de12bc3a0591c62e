"""Where one hop of a fetch goes: the URL rules of S19 and the host decoded as a browser would.

A host that ends in a number is an IPv4 address to a browser and to `inet_aton`, in any of its
spellings (`127.1`, `2130706433`, `0x7f000001`, `0177.0.0.1`); it is decoded here, so the
address policy judges the address that is meant and no resolver gets to reinterpret the text.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

from project.domain.model.errors import FetchBlocked, InvalidUrl
from project.domain.model.network import IPAddress
from project.domain.model.urls import MAX_URL_LENGTH, canonical_host, split_authority

DEFAULT_PORTS = {"http": 80, "https": 443}
_NAME = re.compile(r"[a-z0-9_-]+(\.[a-z0-9_-]+)*")
_HEX_NUMBER = re.compile(r"0x[0-9a-f]*")


@dataclass(frozen=True)
class Target:
    """One checked URL: `host` is the name to send as Host and SNI, `address` a literal IP."""

    scheme: str
    host: str
    port: int
    address: IPAddress | None
    path: str  # path and query, never empty

    @property
    def host_header(self) -> str:
        return self.host if self.port == DEFAULT_PORTS[self.scheme] else f"{self.host}:{self.port}"


def parse_target(url: str, allowed_ports: frozenset[int]) -> Target:
    """Split `url` into a target, or raise FetchBlocked saying which rule it breaks."""
    if len(url) > MAX_URL_LENGTH:
        raise FetchBlocked(f"Fetch blocked: the URL is longer than {MAX_URL_LENGTH} characters.")
    if any(c.isspace() or unicodedata.category(c) in ("Cc", "Cf", "Cs") for c in url):
        raise FetchBlocked("Fetch blocked: the URL contains spaces or control characters.")
    try:
        parts = urlsplit(url)
    except ValueError:
        raise FetchBlocked("Fetch blocked: this is not a valid URL.") from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise FetchBlocked("Fetch blocked: only http and https URLs are fetched.")
    if "@" in parts.netloc:
        raise FetchBlocked("Fetch blocked: the URL carries a user name or password.")
    raw_host, port = _split_authority(parts.netloc)
    port = DEFAULT_PORTS[scheme] if port is None else port
    if port not in allowed_ports:
        raise FetchBlocked(f"Fetch blocked: port {port} is not allowed.")
    host, address = _decode_host(raw_host)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(scheme=scheme, host=host, port=port, address=address, path=path)


def _split_authority(netloc: str) -> tuple[str, int | None]:
    try:
        return split_authority(netloc)
    except InvalidUrl as error:
        raise FetchBlocked(f"Fetch blocked: {error.detail}") from None


def _decode_host(raw: str) -> tuple[str, IPAddress | None]:
    """The host as sent in Host and SNI, and the address it spells when it is an IP literal."""
    if raw.startswith("["):
        try:
            address = ipaddress.IPv6Address(raw[1:-1])
        except ValueError:
            raise FetchBlocked("Fetch blocked: the URL's IPv6 address is malformed.") from None
        if address.scope_id is not None:
            raise FetchBlocked("Fetch blocked: the URL's IPv6 address has a zone.")
        return f"[{address.compressed}]", address
    try:
        host = canonical_host(raw)  # lowercase, percent-decoded, IDNA (fullwidth digits fold)
    except InvalidUrl:
        raise FetchBlocked("Fetch blocked: the URL's host is not valid.") from None
    if host.endswith("."):
        host = host[:-1]
    ipv4 = decode_ipv4(host)
    if ipv4 is not None:
        return str(ipv4), ipv4
    if len(host) > 253 or not _NAME.fullmatch(host):
        raise FetchBlocked("Fetch blocked: the URL's host is not valid.")
    return host, None


def decode_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """The IPv4 address a host ending in a number means (WHATWG URL, like `inet_aton`).

    None for a host name; FetchBlocked for a host that ends in a number but spells no address
    (`1.2.3.4.5`, `256.0.0.1`, `08.0.0.1`): a browser refuses those, and so do we.
    """
    labels = host.split(".")
    if not _is_number(labels[-1]) and not labels[-1].isdigit():
        return None
    numbers = [_number(label) for label in labels]
    if len(labels) > 4 or any(number is None for number in numbers):
        raise FetchBlocked(f"Fetch blocked: {host} is not a valid IPv4 address.")
    *head, last = [number for number in numbers if number is not None]
    if any(number > 255 for number in head) or last >= 256 ** (4 - len(head)):
        raise FetchBlocked(f"Fetch blocked: {host} is not a valid IPv4 address.")
    value = last
    for index, number in enumerate(head):
        value += number << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


def _is_number(label: str) -> bool:
    return _number(label) is not None


def _number(label: str) -> int | None:
    """One part of an IPv4 address: decimal, octal with a leading 0, or hex with 0x."""
    if _HEX_NUMBER.fullmatch(label):
        return int(label[2:] or "0", 16)
    if not label.isascii() or not label.isdigit():
        return None
    if len(label) > 1 and label.startswith("0"):
        return int(label[1:], 8) if set(label) <= set("01234567") else None
    return int(label)
