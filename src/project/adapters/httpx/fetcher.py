"""The page fetcher on httpx, behind the SSRF guard (SPEC 3.7, REQUIREMENTS S19-S22)."""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import Sequence
from urllib.parse import urljoin, urlsplit

import httpx

from project.adapters.httpx._guard import AddressGuard, log_blocked
from project.adapters.httpx._response import check_status, read_resource, redirect_location
from project.adapters.httpx._slots import UserSlots
from project.adapters.httpx._target import Target, parse_target
from project.adapters.httpx.resolver import SystemResolver
from project.domain.model.archiving import FetchedResource
from project.domain.model.errors import FetchBlocked, FetchFailed
from project.domain.model.ids import UserId
from project.domain.model.network import IPAddress, Network, embedded_ipv4
from project.ports.fetching import HostResolver

MiB = 1024 * 1024
DEFAULT_USER_AGENT = "project-archiver/1 (self-hosted bookmark archiver)"


class HttpxPageFetcher:
    """The `PageFetcher` port on httpx.

    Every hop is checked from scratch: the URL rules (S19), then one resolution whose every
    answer must be allowed (S20). The request then goes to a checked address and nowhere
    else: its URL names that IP, while the Host header and the TLS server name (httpcore's
    `sni_hostname`, also the name the certificate is verified for) keep the original host, so
    no second lookup happens and DNS rebinding has nothing to rebind. Connections are never
    kept alive, so one opened for a host is never reused for another name on the same address.
    No cookies, credentials or environment proxies are ever used: the transport is driven
    directly, without a client that would keep a cookie jar.
    """

    def __init__(
        self,
        *,
        resolver: HostResolver | None = None,
        allowed_networks: Sequence[Network] = (),
        allowed_ports: frozenset[int] = frozenset({80, 443}),
        connect_timeout: float = 5.0,
        total_timeout: float = 30.0,
        max_bytes: int = 10 * MiB,
        max_redirects: int = 5,
        per_user_concurrency: int = 3,
        user_agent: str = DEFAULT_USER_AGENT,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        if min(connect_timeout, total_timeout, max_bytes) <= 0 or max_redirects < 0:
            raise ValueError("timeouts and the size cap must be positive, redirects at least 0")
        self._guard = AddressGuard(resolver or SystemResolver(), allowed_networks)
        self._ports = frozenset(allowed_ports)
        self._total_timeout = total_timeout
        self._timeouts = httpx.Timeout(total_timeout, connect=connect_timeout).as_dict()
        self._max_bytes = max_bytes
        self._max_redirects = max_redirects
        self._slots = UserSlots(per_user_concurrency)
        self._user_agent = user_agent
        self._transport = httpx.AsyncHTTPTransport(
            verify=ssl_context if ssl_context is not None else True,
            trust_env=False,
            limits=httpx.Limits(max_connections=100, max_keepalive_connections=0),
        )

    async def fetch(
        self, url: str, *, owner_id: UserId, accept: str, max_bytes: int | None = None
    ) -> FetchedResource:
        limit = self._max_bytes if max_bytes is None else max_bytes
        async with self._slots.hold(owner_id):
            try:
                async with asyncio.timeout(self._total_timeout):
                    return await self._follow(url, owner_id, accept, limit)
            except TimeoutError:
                detail = f"The fetch took longer than {self._total_timeout:g} s."
                raise FetchFailed(detail, permanent=False) from None
            except httpx.TimeoutException as error:
                raise FetchFailed("The server did not answer in time.", permanent=False) from error
            except httpx.TransportError as error:
                detail = f"The connection failed ({type(error).__name__})."
                raise FetchFailed(detail, permanent=False) from error
            except (httpx.DecodingError, httpx.InvalidURL) as error:
                detail = f"The response could not be read ({type(error).__name__})."
                raise FetchFailed(detail, permanent=True) from error

    async def aclose(self) -> None:
        await self._transport.aclose()

    async def _follow(
        self, url: str, owner_id: UserId, accept: str, max_bytes: int
    ) -> FetchedResource:
        for _ in range(self._max_redirects + 1):
            target = self._target(url, owner_id)
            addresses = await self._guard.addresses(target, owner_id)
            response = await self._send(target, addresses, accept)
            try:
                location = redirect_location(response)
                if location is None:
                    check_status(response)
                    return await read_resource(response, url, max_bytes)
            finally:
                await response.aclose()
            url = urljoin(url, location)
        raise FetchFailed(f"More than {self._max_redirects} redirects.", permanent=True)

    def _target(self, url: str, owner_id: UserId) -> Target:
        try:
            return parse_target(url, self._ports)
        except FetchBlocked as error:
            log_blocked(error, _host_of(url), owner_id)
            raise

    async def _send(
        self, target: Target, addresses: list[IPAddress], accept: str
    ) -> httpx.Response:
        """Try the checked addresses in turn until one accepts the connection."""
        for address in addresses[:-1]:
            with contextlib.suppress(httpx.ConnectError, httpx.ConnectTimeout):
                return await self._transport.handle_async_request(
                    self._request(target, address, accept)
                )
        request = self._request(target, addresses[-1], accept)
        return await self._transport.handle_async_request(request)

    def _request(self, target: Target, address: IPAddress, accept: str) -> httpx.Request:
        pinned = embedded_ipv4(address) or address
        netloc = f"[{pinned}]" if pinned.version == 6 else str(pinned)
        extensions: dict[str, object] = {"timeout": self._timeouts}
        if target.address is None:
            extensions["sni_hostname"] = target.host
        return httpx.Request(
            "GET",
            f"{target.scheme}://{netloc}:{target.port}{target.path}",
            headers={
                "Host": target.host_header,
                "User-Agent": self._user_agent,
                "Accept": accept,
                "Accept-Encoding": "identity",
            },
            extensions=extensions,
        )


def _host_of(url: str) -> str | None:
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None
