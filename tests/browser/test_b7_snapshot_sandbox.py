"""B7 (S24) in a real browser: an archived page that tries to read the app's cookies and
storage and call its API, with the browser's credentials, gets nothing and reaches nobody.

The snapshot is opened as the app serves it (the signed `/blobs/...` URL, on the app's own
origin): top level, and in an `<iframe sandbox="">` of an app page, as the web UI will embed
it. The browser holds the app's cookies and a localStorage secret. Two controls prove the
harness can fail: the same page unsandboxed on its own site reaches the canary on every
channel, and the very snapshot bytes served without the sandbox header leak the secrets.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser._frames import error_of
from tests.browser._hostile import MARKER
from tests.browser.conftest import REFRESH_COOKIE, STORAGE_KEY, Secrets, Stage

if TYPE_CHECKING:
    from playwright.async_api import BrowserContext, Frame, Page, Request, Response, Route

pytestmark = pytest.mark.browser

# The controls show the page reporting within milliseconds and meta-refreshing at 1 s.
SETTLE_MS = 2_500
CHANNELS = ("/fetch", "/img", "/beacon", "/form")
EMBED = """(url) => {
  const frame = document.createElement('iframe');
  frame.setAttribute('sandbox', '');
  frame.id = 'snapshot';
  frame.style.cssText = 'width: 1000px; height: 600px';
  frame.src = url;
  document.body.replaceChildren(frame);
}"""


def _console(page: Page) -> list[str]:
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    return messages


async def _assert_app_origin_holds(page: Page, planted: Secrets) -> None:
    """Control: an app-origin page can read what the snapshot must not."""
    assert planted.csrf in await page.evaluate("document.cookie")
    assert await page.evaluate(f"localStorage.getItem('{STORAGE_KEY}')") == planted.stored


async def _assert_opaque_and_inert(frame: Frame) -> None:
    for expression in ("document.cookie", "localStorage.length"):
        assert "sandboxed and lacks the 'allow-same-origin' flag" in await error_of(
            frame, expression
        )
    assert await frame.evaluate("self.origin") == "null"
    assert await frame.evaluate("document.title") == "Hostile page"  # the script sets 'ran'
    assert MARKER in await frame.evaluate("document.body.innerText")


def _assert_served_sandboxed(response: Response | None) -> None:
    assert response is not None
    assert response.status == 200
    expires = int(parse_qs(urlsplit(response.url).query)["expires"][0])
    assert 0 < expires - time.time() <= 300  # a short-lived signed URL (S24)
    assert response.headers["content-security-policy"].startswith("sandbox")
    assert response.headers["x-content-type-options"] == "nosniff"


def _assert_nothing_reached(stage: Stage, offset: int, planted: Secrets, allowed: set[str]) -> None:
    """No request to the canary or the hostile site; the app saw only the pages themselves."""
    assert stage.canary.seen == []
    assert stage.hostile.seen == []  # not even the external script was fetched
    requests = stage.app.requests_since(offset)
    blob_path = stage.snapshot_url.removeprefix(stage.app.origin)
    assert ("GET", blob_path) in requests
    assert {path.split("?")[0] for _, path in requests} <= {blob_path.split("?")[0], *allowed}
    logged = stage.app.log_since(offset)
    assert not any(secret in logged for secret in planted.all)


async def test_B7_a_snapshot_opened_top_level_reads_no_cookie_and_calls_no_api(
    stage: Stage, context: BrowserContext, planted: Secrets, artifacts: Path
) -> None:
    page = await context.new_page()
    console = _console(page)
    await page.goto(f"{stage.app.origin}/health/live")
    await _assert_app_origin_holds(page, planted)
    offset = stage.app.log_size()

    response = await page.goto(stage.snapshot_url)
    await page.wait_for_timeout(SETTLE_MS)
    await page.screenshot(path=artifacts / "b7-snapshot-top-level.png", full_page=True)

    _assert_served_sandboxed(response)
    await _assert_opaque_and_inert(page.main_frame)
    assert any(text.startswith("Blocked script execution") for text in console)
    _assert_nothing_reached(stage, offset, planted, allowed={"/favicon.ico"})


async def test_B7_a_snapshot_in_a_sandboxed_iframe_of_an_app_page_gets_nothing(
    stage: Stage, context: BrowserContext, planted: Secrets, artifacts: Path
) -> None:
    page = await context.new_page()
    console = _console(page)
    host = f"{stage.app.origin}/health/live"
    await page.goto(host)
    await _assert_app_origin_holds(page, planted)
    offset = stage.app.log_size()

    async with page.expect_response(lambda r: "/blobs/" in r.url) as served:
        await page.evaluate(EMBED, stage.snapshot_url)
    element = await page.wait_for_selector("iframe#snapshot")
    assert element is not None
    frame = await element.content_frame()
    assert frame is not None
    await frame.wait_for_load_state()
    await page.wait_for_timeout(SETTLE_MS)
    await page.screenshot(path=artifacts / "b7-snapshot-iframe.png")

    _assert_served_sandboxed(await served.value)
    await _assert_opaque_and_inert(frame)
    assert page.url == host  # no top navigation either
    await _assert_app_origin_holds(page, planted)  # the embedding page is untouched
    assert any(text.startswith("Blocked script execution") for text in console)
    # The browser may ask for the embedding page's own icon; the snapshot asks for nothing.
    _assert_nothing_reached(stage, offset, planted, allowed={"/favicon.ico"})


async def _until(stage: Stage, condition: Callable[[], bool], seconds: float = 10) -> None:
    for _ in range(int(seconds * 20)):
        if condition():
            return
        await asyncio.sleep(0.05)
    heard = [f"{seen.method} {seen.text()[:120]}" for seen in stage.canary.seen]
    raise AssertionError(f"not heard in {seconds} s; the canary got {heard}")


def _reports(stage: Stage) -> set[tuple[str, str]]:
    """(channel, which script) of every report the canary got."""
    return {
        (seen.path.split("?")[0], where)
        for seen in stage.canary.seen
        for where in ("inline", "external")
        if f'"where":"{where}"' in seen.text()
    }


async def test_B7_control_the_hostile_page_unsandboxed_reaches_the_canary_on_every_channel(
    stage: Stage, context: BrowserContext
) -> None:
    expected = {(channel, where) for channel in CHANNELS for where in ("inline", "external")}
    page = await context.new_page()

    await page.goto(stage.hostile.page_url)
    await _until(stage, lambda: _reports(stage) >= expected)
    await _until(stage, lambda: "/meta-refresh" in {seen.path for seen in stage.canary.seen})

    paths = {seen.path.split("?")[0] for seen in stage.canary.seen}
    assert {"/css", "/static-img", "/meta-refresh"} <= paths
    assert "/evil.js" in {seen.path for seen in stage.hostile.seen}


async def test_B7_control_the_same_snapshot_without_the_sandbox_header_leaks_the_secrets(
    stage: Stage, context: BrowserContext, planted: Secrets
) -> None:
    page = await context.new_page()
    requests: list[Request] = []
    page.on("request", lambda request: requests.append(request))

    async def without_csp(route: Route) -> None:
        response = await route.fetch()
        headers = {k: v for k, v in response.headers.items() if k != "content-security-policy"}
        await route.fulfill(response=response, headers=headers)

    await page.route("**/blobs/**", without_csp)
    offset = stage.app.log_size()

    await page.goto(stage.snapshot_url)
    await _until(
        stage,
        lambda: any(
            planted.csrf in seen.text() and planted.stored in seen.text()
            for seen in stage.canary.seen
        ),
    )
    refreshes = [r for r in requests if r.url == f"{stage.app.origin}/api/v1/auth/refresh"]
    cookies = [(await r.all_headers()).get("cookie", "") for r in refreshes]

    paths = {path.split("?")[0] for _, path in stage.app.requests_since(offset)}
    assert {"/api/v1/me", "/api/v1/auth/refresh"} <= paths
    # The HttpOnly refresh cookie went along with the page's API call: the threat is real.
    assert any(f"{REFRESH_COOKIE}={planted.refresh}" in cookie for cookie in cookies)
