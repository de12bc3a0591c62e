"""The fetcher's address policy (REQUIREMENTS S20, S22): every special-purpose range refused,
its neighbours allowed, IPv4 inside IPv6 judged, administrators' allowances honoured."""

from __future__ import annotations

from ipaddress import ip_address, ip_network

import pytest

from project.domain.model.network import (
    BLOCKED_NETWORKS,
    embedded_ipv4,
    is_allowed_address,
    is_blocked_host_name,
)

# Every S20 range: (range, addresses inside it).
_S20_RANGES = [
    ("0.0.0.0/8", ["0.0.0.0", "0.1.2.3", "0.255.255.255"]),  # noqa: S104 (an address, not a bind)
    ("10.0.0.0/8", ["10.0.0.1", "10.255.255.255"]),
    ("100.64.0.0/10", ["100.64.0.1", "100.127.255.255"]),
    ("127.0.0.0/8", ["127.0.0.1", "127.255.255.254"]),
    ("169.254.0.0/16", ["169.254.169.254", "169.254.0.1"]),
    ("172.16.0.0/12", ["172.16.0.1", "172.31.255.255"]),
    ("192.0.0.0/24", ["192.0.0.8", "192.0.0.170"]),
    ("192.0.2.0/24", ["192.0.2.1"]),
    ("192.168.0.0/16", ["192.168.0.1", "192.168.255.255"]),
    ("198.18.0.0/15", ["198.18.0.1", "198.19.255.255"]),
    ("198.51.100.0/24", ["198.51.100.7"]),
    ("203.0.113.0/24", ["203.0.113.9"]),
    ("224.0.0.0/4", ["224.0.0.1", "239.255.255.250"]),
    ("240.0.0.0/4", ["240.0.0.1", "255.255.255.255"]),
    ("::/128", ["::"]),
    ("::1/128", ["::1"]),
    ("::ffff:0:0/96", ["::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:8.8.8.8"]),
    ("64:ff9b::/96", ["64:ff9b::7f00:1", "64:ff9b::808:808"]),
    ("100::/64", ["100::1", "100::ffff:ffff:ffff:ffff"]),
    ("2001:db8::/32", ["2001:db8::1", "2001:db8:ffff::1"]),
    ("fc00::/7", ["fc00::1", "fd12:3456::1"]),
    ("fe80::/10", ["fe80::1", "febf::1"]),
    ("ff00::/8", ["ff02::1", "ff05::2"]),
]

# Just outside a range, and globally routable.
_NEIGHBOURS = [
    "1.0.0.1",  # after 0/8
    "9.255.255.255",  # before 10/8
    "11.0.0.1",  # after 10/8
    "100.63.255.255",  # before 100.64/10
    "100.128.0.1",  # after 100.64/10
    "126.255.255.254",  # before 127/8
    "128.0.0.1",  # after 127/8
    "169.253.255.254",  # before 169.254/16
    "169.255.0.1",  # after 169.254/16
    "172.15.255.254",  # before 172.16/12
    "172.32.0.1",  # after 172.16/12
    "192.0.1.1",  # between 192.0.0/24 and 192.0.2/24
    "192.0.3.1",  # after 192.0.2/24
    "192.167.255.254",  # before 192.168/16
    "192.169.0.1",  # after 192.168/16
    "198.17.255.254",  # before 198.18/15
    "198.20.0.1",  # after 198.18/15
    "198.51.99.1",  # before 198.51.100/24
    "198.51.101.1",  # after 198.51.100/24
    "203.0.112.1",  # before 203.0.113/24
    "203.0.114.1",  # after 203.0.113/24
    "223.255.255.254",  # before 224/4
    "8.8.8.8",
    "1.1.1.1",
    "2001:4860:4860::8888",  # after 2001::/23, beyond 2001:db8::/32's neighbours
    "2001:db9::1",  # after 2001:db8::/32
    "2606:4700:4700::1111",
    "2a00:1450:4001:81b::200e",
]


def _cases() -> list[tuple[str, str]]:
    return [(cidr, address) for cidr, addresses in _S20_RANGES for address in addresses]


@pytest.mark.parametrize(("cidr", "address"), _cases())
def test_every_s20_range_is_refused(cidr: str, address: str) -> None:
    assert ip_address(address) in ip_network(cidr)
    assert not is_allowed_address(ip_address(address))


@pytest.mark.parametrize("cidr", [cidr for cidr, _ in _S20_RANGES])
def test_every_s20_range_is_in_the_blocked_list(cidr: str) -> None:
    network = ip_network(cidr)
    assert any(
        network.network_address in blocked and network.broadcast_address in blocked
        for blocked in BLOCKED_NETWORKS
    )


@pytest.mark.parametrize("address", _NEIGHBOURS)
def test_public_neighbours_are_allowed(address: str) -> None:
    assert is_allowed_address(ip_address(address))


@pytest.mark.parametrize(
    "address",
    [
        "::127.0.0.1",  # IPv4-compatible
        "::10.0.0.1",
        "::8.8.8.8",
        "2002:7f00:1::1",  # 6to4 around 127.0.0.1
        "2001::1",  # Teredo
        "fec0::1",  # site-local
        "64:ff9b:1::1",  # local-use NAT64
    ],
)
def test_ipv4_wrapped_in_ipv6_and_other_tunnels_are_refused(address: str) -> None:
    assert not is_allowed_address(ip_address(address))


@pytest.mark.parametrize(
    ("address", "inner"),
    [
        ("::ffff:127.0.0.1", "127.0.0.1"),
        ("::ffff:7f00:1", "127.0.0.1"),
        ("::127.0.0.1", "127.0.0.1"),
        ("::10.1.2.3", "10.1.2.3"),
        ("::1", None),
        ("::", None),
        ("2001:db8::1", None),
        ("127.0.0.1", None),
    ],
)
def test_the_ipv4_inside_ipv6_is_unwrapped(address: str, inner: str | None) -> None:
    found = embedded_ipv4(ip_address(address))
    assert (str(found) if found else None) == inner


@pytest.mark.parametrize(
    ("allowed", "address", "expected"),
    [
        (["10.0.0.0/24"], "10.0.0.5", True),
        (["10.0.0.0/24"], "10.0.1.5", False),
        (["10.0.0.0/24"], "::ffff:10.0.0.5", True),  # judged by the IPv4 inside
        (["10.0.0.0/24"], "::ffff:10.0.1.5", False),
        (["127.0.0.0/8"], "127.0.0.1", True),
        (["127.0.0.0/8"], "169.254.169.254", False),
        (["192.168.1.0/24", "fd00::/8"], "fd00::10", True),
        (["192.168.1.0/24", "fd00::/8"], "fe80::1", False),
        (["fd00::/8"], "10.0.0.1", False),  # a v6 allowance says nothing about v4
        (["10.0.0.0/8"], "8.8.8.8", True),  # public stays allowed
        (["169.254.169.254/32"], "169.254.169.254", True),  # the admin's explicit choice
    ],
)
def test_allowed_networks_open_exactly_what_they_name(
    allowed: list[str], address: str, expected: bool
) -> None:
    networks = [ip_network(cidr) for cidr in allowed]
    assert is_allowed_address(ip_address(address), networks) is expected


@pytest.mark.parametrize(
    "host",
    [
        "localhost",
        "LOCALHOST",
        "localhost.",
        "app.localhost",
        "a.b.localhost.",
        "metadata",
        "metadata.google.internal",
        "Metadata.Google.Internal.",
        "metadata.goog",
        "instance-data",
        "instance-data.ec2.internal",
    ],
)
def test_local_and_metadata_host_names_are_blocked(host: str) -> None:
    assert is_blocked_host_name(host)


@pytest.mark.parametrize(
    "host",
    ["example.com", "localhost.example.com", "notlocalhost", "metadata.example", "localhost-1"],
)
def test_ordinary_host_names_are_not(host: str) -> None:
    assert not is_blocked_host_name(host)
