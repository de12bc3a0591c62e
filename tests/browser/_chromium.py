"""Debian's Chromium and the flags it runs with, for the browser tests and the web benchmark
(`benchmarks.web_scroll`): no pytest here, so a benchmark can import it."""

from __future__ import annotations

import os

CHROMIUM = os.environ.get("PROJECT_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Chromium's Local Network Access checks would block a page that Playwright fulfils (an
    # address space of its own) from reaching loopback; off, the CSP sandbox stands alone.
    "--disable-features=LocalNetworkAccessChecks",
]
