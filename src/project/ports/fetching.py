"""Reaching out to the web: fetching, extraction and images (SPEC 3.7, REQUIREMENTS S19-S25)."""

from __future__ import annotations

from typing import Protocol

from project.domain.model.archiving import FetchedResource, PageExtraction
from project.domain.model.ids import UserId
from project.domain.model.network import IPAddress


class HostResolver(Protocol):
    """Name resolution, behind a port so tests can script answers (a rebinding resolver)."""

    async def resolve(self, host: str, port: int) -> list[IPAddress]:
        """Every A and AAAA address of `host`; raises OSError when it has none."""
        ...


class PageFetcher(Protocol):
    """GETs a URL through the SSRF guard: every hop's addresses checked, the connection made
    to the checked address, redirects followed (at most 5), time and size capped, at most a
    few fetches at once per user, no cookies or credentials sent."""

    async def fetch(
        self, url: str, *, owner_id: UserId, accept: str, max_bytes: int | None = None
    ) -> FetchedResource:
        """Raises FetchBlocked for a forbidden address and FetchFailed for the rest."""
        ...

    async def aclose(self) -> None: ...


class PageExtractor(Protocol):
    """Reads metadata and the main text out of a fetched HTML page or PDF, off the loop."""

    async def extract(self, resource: FetchedResource) -> PageExtraction: ...


class ImageProcessor(Protocol):
    """Proves bytes are an image (magic bytes, decoded under a pixel cap) and re-encodes
    them as a WebP thumbnail without metadata (S25); off the loop."""

    async def thumbnail(self, data: bytes, *, max_width: int, max_height: int) -> bytes:
        """Raises InvalidImage for anything that is not a raster image we accept."""
        ...
