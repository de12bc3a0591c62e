"""The address policy of one hop (S20, S22): which addresses a target may be reached at."""

from __future__ import annotations

import socket
from collections.abc import Sequence

import structlog

from project.adapters.httpx._target import Target
from project.domain.model.errors import FetchBlocked, FetchFailed
from project.domain.model.ids import UserId
from project.domain.model.network import (
    IPAddress,
    Network,
    is_allowed_address,
    is_blocked_host_name,
)
from project.ports.fetching import HostResolver

_log = structlog.get_logger(__name__)


class AddressGuard:
    """Resolves a target once and returns the addresses it may be connected to: all of them
    public, or inside a network an administrator allowed. One non-public answer blocks the
    hop, so a name cannot smuggle a private address in among public ones."""

    def __init__(self, resolver: HostResolver, allowed_networks: Sequence[Network]) -> None:
        self._resolver = resolver
        self._allowed = tuple(allowed_networks)

    async def addresses(self, target: Target, owner_id: UserId) -> list[IPAddress]:
        if target.address is not None:
            addresses = [target.address]
        elif is_blocked_host_name(target.host):
            raise blocked(f"{target.host} is a local or metadata host", target.host, owner_id)
        else:
            addresses = await self._resolve(target)
        refused = [str(a) for a in addresses if not is_allowed_address(a, self._allowed)]
        if refused:
            reason = (
                f"{target.host} is not a public address"
                if target.address is not None
                else f"{target.host} resolves to an address that is not public"
            )
            raise blocked(reason, target.host, owner_id, addresses=refused)
        for address in addresses:
            if not is_allowed_address(address):
                _log.info(
                    "ssrf_private_network_allowed",
                    host=target.host,
                    address=str(address),
                    owner_id=str(owner_id),
                )
        return addresses

    async def _resolve(self, target: Target) -> list[IPAddress]:
        try:
            addresses = await self._resolver.resolve(target.host, target.port)
        except OSError as error:
            unknown = isinstance(error, socket.gaierror) and error.errno == socket.EAI_NONAME
            raise FetchFailed(
                f"The host {target.host} could not be resolved.", permanent=unknown
            ) from error
        if not addresses:
            raise FetchFailed(f"The host {target.host} has no address.", permanent=False)
        return list(dict.fromkeys(addresses))


def blocked(reason: str, host: str, owner_id: UserId, **details: object) -> FetchBlocked:
    """The error that tells the user why, logged."""
    error = FetchBlocked(f"Fetch blocked: {reason}.")
    log_blocked(error, host, owner_id, **details)
    return error


def log_blocked(error: FetchBlocked, host: str | None, owner_id: UserId, **details: object) -> None:
    """One `ssrf_blocked` security event (S32) per refused hop."""
    _log.warning("ssrf_blocked", host=host, reason=error.detail, owner_id=str(owner_id), **details)
