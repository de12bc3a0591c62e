"""Real-browser fixtures: Debian's Chromium driven by Playwright, a real `project serve`, a
hostile site whose page the app archives, and the canary that page reports to.

Chromium is /usr/bin/chromium (or `PROJECT_TEST_CHROMIUM`); Playwright's own browser
downloads are never used. Without it the tests skip, except under `CI=true`, where they fail.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.browser._chromium import CHROMIUM, CHROMIUM_ARGS
from tests.browser._hostile import Canary, HostileSite, running
from tests.browser._server import AppServer, archived_snapshot_url

if TYPE_CHECKING:
    from playwright.async_api import Browser, BrowserContext

ARTIFACTS = Path(os.environ.get("PROJECT_TEST_ARTIFACTS", Path(__file__).parent / "artifacts"))
REFRESH_COOKIE = "__Secure-project-refresh"
CSRF_COOKIE = "__Host-project-csrf"
STORAGE_KEY = "project-secret"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: the browser tests must run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium() -> str:
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e '.[dev]')")
    if not os.access(CHROMIUM, os.X_OK):
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture(scope="module")
async def browser(chromium: str) -> AsyncIterator[Browser]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        await launched.close()


@dataclass(frozen=True)
class Stage:
    """Everything running for one module: the app, the hostile site and the canary."""

    app: AppServer
    hostile: HostileSite
    canary: Canary
    snapshot_url: str


@pytest.fixture(scope="module")
async def running_stage(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Stage]:
    where = tmp_path_factory.mktemp("b7")
    app = AppServer(where / "data", where / "serve.log")
    canary = Canary()
    hostile = HostileSite(app.origin, canary.origin)
    with running(canary), running(hostile):
        app.start(fetch_port=hostile.port)
        try:
            await app.wait_ready()
            snapshot_url = await archived_snapshot_url(app.origin, hostile.page_url)
            yield Stage(app, hostile, canary, snapshot_url)
        finally:
            app.stop()


@pytest.fixture
def stage(running_stage: Stage) -> Stage:
    """The module's stage with the canary's and the hostile site's records emptied."""
    running_stage.canary.seen.clear()
    running_stage.hostile.seen.clear()
    return running_stage


@dataclass(frozen=True)
class Secrets:
    """What the app origin holds in the browser: two cookies and a localStorage item."""

    refresh: str
    csrf: str
    stored: str

    @property
    def all(self) -> tuple[str, str, str]:
        return self.refresh, self.csrf, self.stored


@pytest.fixture
def planted() -> Secrets:
    return Secrets(*(secrets.token_urlsafe(24) for _ in range(3)))


@pytest.fixture
async def context(
    browser: Browser, stage: Stage, planted: Secrets
) -> AsyncIterator[BrowserContext]:
    """A browser context holding the app's cookies (as the cookie mode sets them) and a
    secret in the app origin's localStorage."""
    cookie: dict[str, Any] = {
        "domain": "127.0.0.1",
        "expires": -1,
        "secure": True,
        "sameSite": "Strict",
    }
    state: Any = {
        "cookies": [
            cookie
            | {
                "name": REFRESH_COOKIE,
                "value": planted.refresh,
                "path": "/api/v1/auth",
                "httpOnly": True,
            },
            cookie | {"name": CSRF_COOKIE, "value": planted.csrf, "path": "/", "httpOnly": False},
        ],
        "origins": [
            {
                "origin": stage.app.origin,
                "localStorage": [{"name": STORAGE_KEY, "value": planted.stored}],
            }
        ],
    }
    opened = await browser.new_context(storage_state=state)
    yield opened
    await opened.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
