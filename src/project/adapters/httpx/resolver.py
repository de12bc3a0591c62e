"""Name resolution by the operating system (getaddrinfo), off the event loop."""

from __future__ import annotations

import asyncio
import ipaddress
import socket

from project.domain.model.network import IPAddress


class SystemResolver:
    """The `HostResolver` port on `getaddrinfo`: every A and AAAA answer, each once."""

    async def resolve(self, host: str, port: int) -> list[IPAddress]:
        answers = await asyncio.get_running_loop().getaddrinfo(
            host, port, family=socket.AF_UNSPEC, type=socket.SOCK_STREAM
        )
        addresses: dict[IPAddress, None] = {}
        for family, _, _, _, sockaddr in answers:
            if family in (socket.AF_INET, socket.AF_INET6):
                text = str(sockaddr[0]).split("%", 1)[0]  # drop an IPv6 zone
                addresses[ipaddress.ip_address(text)] = None
        if not addresses:
            raise OSError(f"no address for {host}")
        return list(addresses)
