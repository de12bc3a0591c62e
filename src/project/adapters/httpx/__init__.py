"""Outbound HTTP through the SSRF guard (httpx): the page fetcher and the system resolver."""

from project.adapters.httpx.fetcher import HttpxPageFetcher
from project.adapters.httpx.resolver import SystemResolver

__all__ = ["HttpxPageFetcher", "SystemResolver"]
