"""The web app end to end in Debian's Chromium, against a real `project serve` (issue 8).

A visitor signs up, adds a bookmark through the Add form, finds it with the search box and
opens its snapshot, which the app embeds in `<iframe sandbox="">`: the archived page (the
hostile one of the B7 test) can read neither the app's cookies nor its API, and reaches
nobody. A collection shared with a second user shows up in theirs. The app is keyboard
operable with a visible focus and labelled controls. Screenshots of the main pages are kept
in the artifacts folder.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import httpx
import pytest

from tests.browser._frames import error_of
from tests.browser._hostile import MARKER
from tests.browser._server import PASSWORD
from tests.browser.conftest import ARTIFACTS, Stage

if TYPE_CHECKING:
    from playwright.async_api import Browser, BrowserContext, Page

pytestmark = pytest.mark.browser

SHOTS = ARTIFACTS / "web"
TIMEOUT_MS = 30_000
SETTLE_S = 2.5  # the B7 controls show a running page reporting within milliseconds
# Every form control, and the element that names it; a control nothing names is a failure.
UNLABELLED = """() => [...document.querySelectorAll('input, select, textarea, button')]
  .filter((el) => el.type !== 'hidden' && el.offsetParent !== null)
  .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
    && !el.getAttribute('aria-labelledby') && !(el.textContent || '').trim() && !el.title)
  .map((el) => el.outerHTML.slice(0, 120))"""


async def _new_page(browser: Browser, stage: Stage) -> AsyncIterator[tuple[BrowserContext, Page]]:
    context = await browser.new_context(
        base_url=stage.app.origin, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context, await context.new_page()
    finally:
        await context.close()


@pytest.fixture
async def visitor(browser: Browser, stage: Stage) -> AsyncIterator[Page]:
    async for _, page in _new_page(browser, stage):
        yield page


@pytest.fixture
async def second_visitor(browser: Browser, stage: Stage) -> AsyncIterator[Page]:
    async for _, page in _new_page(browser, stage):
        yield page


async def _shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


async def _sign_up(page: Page, email: str) -> None:
    await page.goto("/sign-up")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password", exact=True).fill(PASSWORD)
    await page.get_by_role("button", name="Create account").click()
    await page.get_by_role("navigation", name="Main").wait_for()


async def _sign_in(page: Page, email: str) -> None:
    await page.goto("/sign-in")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password", exact=True).fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await page.get_by_role("navigation", name="Main").wait_for()


async def _register(stage: Stage, email: str) -> None:
    async with httpx.AsyncClient(base_url=stage.app.origin, timeout=10) as http:
        answer = await http.post(
            "/api/v1/auth/register", json={"email": email, "password": PASSWORD}
        )
        assert answer.status_code == 201, answer.text


def _email(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:8]}@example.com"


async def _search_until_found(page: Page, query: str, title: str) -> None:
    """Search until the archived title shows (the worker archives in the background)."""
    search = page.get_by_role("searchbox", name="Search")
    link = page.get_by_role("link", name=title)
    for _ in range(30):
        await search.fill(query)
        await search.press("Enter")
        try:
            await link.first.wait_for(timeout=1_000)
            return
        except Exception:  # Playwright's TimeoutError; its module is imported lazily
            await asyncio.sleep(0.5)
    raise AssertionError(f"{title!r} never showed up for the search {query!r}")


async def test_sign_up_add_search_and_open_a_sandboxed_snapshot(
    visitor: Page, stage: Stage
) -> None:
    page = visitor
    await _sign_up(page, _email("web"))
    assert page.url.rstrip("/") == stage.app.origin
    # S26: no token in web storage; the refresh cookie is HttpOnly, out of script's reach.
    assert await page.evaluate("localStorage.length + sessionStorage.length") == 0
    assert "project-refresh" not in await page.evaluate("document.cookie")
    cookies = {cookie["name"]: cookie for cookie in await page.context.cookies()}
    assert cookies["__Secure-project-refresh"]["httpOnly"] is True

    await page.get_by_label("URL").fill(stage.hostile.page_url)
    await page.get_by_role("button", name="Add bookmark").click()
    await _search_until_found(page, "hostile", "Hostile page")
    assert re.search(r"[?&]q=hostile", page.url), page.url
    await _shoot(page, "bookmarks")

    await page.get_by_role("link", name="Hostile page").first.click()
    await page.get_by_role("heading", name="Hostile page").wait_for()
    await page.get_by_role("tab", name="Snapshot").click()
    frame_element = page.locator("iframe#snapshot")
    await frame_element.wait_for()
    assert await frame_element.get_attribute("sandbox") == ""
    frame = await (await frame_element.element_handle()).content_frame()
    assert frame is not None
    await frame.wait_for_load_state()
    assert MARKER in await frame.evaluate("document.body.innerText")
    await _shoot(page, "bookmark-snapshot")

    # B7 through the UI: the snapshot is an opaque origin with no way to the app.
    for expression in ("document.cookie", "localStorage.length", "parent.document.title"):
        error = await error_of(frame, expression)
        assert "sandboxed" in error or "cross-origin" in error, error
    assert await frame.evaluate("self.origin") == "null"
    api_error = await error_of(
        frame, "fetch('/api/v1/me', {credentials: 'include'}).then((r) => r.status)"
    )
    assert "Failed to fetch" in api_error or "violates" in api_error, api_error
    await asyncio.sleep(SETTLE_S)
    assert stage.canary.seen == [], stage.canary.seen
    # Control: the app's own page holds a session the snapshot could not reach.
    assert "__Host-project-csrf=" in await page.evaluate("document.cookie")

    await page.get_by_role("tab", name="Reader").click()
    await page.get_by_text("A page that wants your cookies", exact=False).first.wait_for()


async def test_a_collection_shared_with_a_second_user_shows_up_for_them(
    visitor: Page, second_visitor: Page, stage: Stage
) -> None:
    owner, friend = _email("owner"), _email("friend")
    await _register(stage, owner)
    await _register(stage, friend)
    name = f"Reading group {uuid.uuid4().hex[:6]}"

    await _sign_in(visitor, owner)
    await visitor.get_by_role("link", name="Collections").click()
    await visitor.get_by_label("Name").first.fill(name)
    await visitor.get_by_role("button", name=re.compile("^Create")).click()
    await visitor.get_by_role("link", name=name).click()
    share = visitor.get_by_role("region", name="Share").or_(
        visitor.get_by_role("form", name="Share")
    )
    await share.get_by_label("Email").fill(friend)
    await share.get_by_role("button", name="Share").click()
    await visitor.get_by_text(friend).first.wait_for()
    await _shoot(visitor, "collection-shared")
    await visitor.get_by_role("link", name="Bookmarks").click()
    await visitor.get_by_label("URL").fill("https://example.org/shared-reading")
    await visitor.get_by_role("textbox", name="Title").fill("Shared article")
    await visitor.get_by_label("Collection").select_option(label=name)
    await visitor.get_by_role("button", name="Add bookmark").click()
    await visitor.get_by_role("link", name="Shared article").wait_for()

    await _sign_in(second_visitor, friend)
    await second_visitor.get_by_role("link", name="Collections").click()
    await second_visitor.get_by_role("link", name=name).click()
    await second_visitor.get_by_role("link", name="Shared article").wait_for()
    await _shoot(second_visitor, "collection-seen-by-the-friend")


async def test_the_main_pages_are_labelled_keyboard_reachable_and_shot(
    visitor: Page, stage: Stage
) -> None:
    page = visitor
    # ann, the first account (made by the stage), is the administrator.
    await _sign_in(page, "ann@example.com")
    await page.keyboard.press("Tab")
    focused = await page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to content"
    outline = await page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none"), "the focused control shows no focus ring"

    for path, name in (
        ("/", "bookmarks-admin"),
        ("/tags", "tags"),
        ("/collections", "collections"),
        ("/smart-lists", "smart-lists"),
        ("/import-export", "import-export"),
        ("/settings", "settings"),
        ("/admin", "admin"),
    ):
        await page.goto(path)
        await page.get_by_role("heading", level=1).first.wait_for()
        await page.wait_for_load_state("networkidle")
        assert await page.evaluate(UNLABELLED) == [], path
        await _shoot(page, name)
    assert all((SHOTS / f"{name}.png").stat().st_size > 0 for name in ("tags", "admin"))
