"""Which network addresses the fetcher may reach (REQUIREMENTS S20, S22).

Python 3.11's `ipaddress.is_global` misses ranges, so the blocked set is the explicit list of
IANA special-purpose ranges from S20. IPv4-mapped and -compatible IPv6 addresses are judged
by the IPv4 address inside them.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

BLOCKED_NETWORKS: tuple[Network, ...] = tuple(
    ipaddress.ip_network(cidr)
    for cidr in (
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.0.0.0/24",
        "192.0.2.0/24",
        "192.168.0.0/16",
        "198.18.0.0/15",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "224.0.0.0/4",
        "240.0.0.0/4",
        "255.255.255.255/32",
        "::/128",
        "::1/128",
        "::ffff:0:0/96",
        "::/96",  # IPv4-compatible (deprecated) addresses
        "64:ff9b::/96",
        "64:ff9b:1::/48",
        "100::/64",
        "2001::/23",  # IETF protocol assignments (Teredo, ORCHID, ...)
        "2001:db8::/32",
        "2002::/16",  # 6to4 wraps an IPv4 address of any kind
        "fc00::/7",
        "fe80::/10",
        "fec0::/10",
        "ff00::/8",
    )
)

# Names that resolve to cloud metadata services on some platforms, whatever DNS says.
BLOCKED_HOST_NAMES = frozenset(
    {
        "localhost",
        "metadata",
        "metadata.google.internal",
        "metadata.goog",
        "instance-data",
        "instance-data.ec2.internal",
    }
)


def embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address inside an IPv4-mapped or -compatible IPv6 address, if any."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if int(address) >> 32 == 0 and int(address) > 1:
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_allowed_address(address: IPAddress, allowed: Iterable[Network] = ()) -> bool:
    """True when the fetcher may connect to `address`: globally routable, or inside a network
    an administrator allowed (homelab use)."""
    candidates = [address]
    inner = embedded_ipv4(address)
    if inner is not None:
        candidates.append(inner)
    allowed = tuple(allowed)
    for candidate in candidates:
        if any(candidate in network for network in allowed if network.version == candidate.version):
            return True
    return not any(
        candidate in network
        for candidate in candidates
        for network in BLOCKED_NETWORKS
        if network.version == candidate.version
    )


def is_blocked_host_name(host: str) -> bool:
    name = host.rstrip(".").lower()
    return name in BLOCKED_HOST_NAMES or name.endswith(".localhost")
