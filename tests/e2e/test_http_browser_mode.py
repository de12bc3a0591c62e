"""Browser mode and its defences (B8; S26-S28): the refresh cookie, CSRF double-submit, the
`Sec-Fetch-Site` check and the CORS allowlist.

The client talks https (`base_url`) so its cookie jar keeps and returns `Secure` cookies the
way a browser does.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from http.cookies import SimpleCookie
from typing import Any

import httpx
import pytest
from litestar.testing import AsyncTestClient

from project.entrypoints.settings import Settings
from tests.e2e._http_kit import PASSWORD, Client, assert_problem, bearer, make_app, register

BROWSER = "/api/v1/auth/browser"
REFRESH_COOKIE = "__Secure-project-refresh"
CSRF_COOKIE = "__Host-project-csrf"
APP_ORIGIN = "https://app.example.com"
EMAIL = "ann@example.com"
CREDENTIALS = {"email": EMAIL, "password": PASSWORD}


@pytest.fixture
def cors_settings(app_settings: Settings) -> Settings:
    app_settings.cors_origins = [APP_ORIGIN]
    return app_settings


@pytest.fixture
async def browser(cors_settings: Settings) -> AsyncIterator[Client]:
    app = make_app(cors_settings)
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as client:
        await register(client, EMAIL)
        yield client


async def _csrf(client: Client) -> str:
    response = await client.get(f"{BROWSER}/csrf")
    assert response.status_code == 200, response.text
    token: str = response.json()["csrf_token"]
    assert client.cookies.get(CSRF_COOKIE) == token
    return token


async def _browser_login(client: Client) -> tuple[str, str]:
    """(access token, CSRF token) of a browser session."""
    token = await _csrf(client)
    response = await client.post(
        f"{BROWSER}/login", json=CREDENTIALS, headers={"X-CSRF-Token": token}
    )
    assert response.status_code == 200, response.text
    access: str = response.json()["access_token"]
    return access, token


def _set_cookie(response: httpx.Response, name: str) -> Any:
    for header in response.headers.get_list("set-cookie"):
        cookie = SimpleCookie()
        cookie.load(header)
        if name in cookie:
            return cookie[name]
    raise AssertionError(f"no Set-Cookie for {name}: {response.headers}")


async def _sessions(client: Client, access: str) -> int:
    response = await client.get("/api/v1/auth/sessions", headers=bearer(access))
    assert response.status_code == 200, response.text
    return len(response.json()["items"])


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_B8_browser_login_keeps_the_refresh_token_in_a_strict_httponly_secure_cookie(
    browser: Client,
) -> None:
    handed_out = await browser.get(f"{BROWSER}/csrf")
    csrf = _set_cookie(handed_out, CSRF_COOKIE)
    assert csrf["secure"]
    assert csrf["path"] == "/"
    assert not csrf["domain"]
    assert csrf["samesite"].lower() == "strict"
    assert not csrf["httponly"]  # the page must read it to send it back
    token = handed_out.json()["csrf_token"]
    response = await browser.post(
        f"{BROWSER}/login", json=CREDENTIALS, headers={"X-CSRF-Token": token}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert "refresh_token" not in body  # only the access token reaches script (S26)
    cookie = _set_cookie(response, REFRESH_COOKIE)
    assert cookie["secure"]
    assert cookie["httponly"]
    assert cookie["samesite"].lower() == "strict"
    assert cookie["path"] == BROWSER
    assert cookie.value.startswith("rt_")
    me = await browser.get("/api/v1/me", headers=bearer(body["access_token"]))
    assert me.status_code == 200


async def test_B8_browser_login_without_the_csrf_token_is_refused_and_opens_no_session(
    browser: Client,
) -> None:
    await _csrf(browser)  # the cookie alone is not enough: the header must repeat it
    refused = await browser.post(f"{BROWSER}/login", json=CREDENTIALS)
    assert_problem(refused, 403)
    assert REFRESH_COOKIE not in refused.headers.get("set-cookie", "")
    access, _ = await _browser_login(browser)
    assert await _sessions(browser, access) == 1


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_B8_a_csrf_header_that_is_not_the_cookies_token_is_refused(browser: Client) -> None:
    await _csrf(browser)
    other = browser.cookies.get(CSRF_COOKIE)
    assert other is not None
    forged = other[:-4] + ("0000" if not other.endswith("0000") else "1111")
    response = await browser.post(
        f"{BROWSER}/login", json=CREDENTIALS, headers={"X-CSRF-Token": forged}
    )
    assert_problem(response, 403)
    # A token minted by another server (another secret) fails the same way.
    browser.cookies.delete(CSRF_COOKIE)
    alien = "ab" * 32 + "cd" * 32
    browser.cookies.set(CSRF_COOKIE, alien, domain="testserver.local")
    response = await browser.post(
        f"{BROWSER}/login", json=CREDENTIALS, headers={"X-CSRF-Token": alien}
    )
    assert_problem(response, 403)


async def test_B8_refresh_by_cookie_rotates_and_needs_the_csrf_token(browser: Client) -> None:
    access, token = await _browser_login(browser)
    first = browser.cookies.get(REFRESH_COOKIE)
    assert_problem(await browser.post(f"{BROWSER}/refresh"), 403)
    assert browser.cookies.get(REFRESH_COOKIE) == first  # a refused request changed nothing
    rotated = await browser.post(f"{BROWSER}/refresh", headers={"X-CSRF-Token": token})
    assert rotated.status_code == 200, rotated.text
    second = browser.cookies.get(REFRESH_COOKIE)
    assert second
    assert second != first
    assert "refresh_token" not in rotated.json()
    # Replaying the rotated cookie ends the whole session (S11), as with body tokens.
    browser.cookies.set(REFRESH_COOKIE, first or "", domain="testserver.local", path=BROWSER)
    replay = await browser.post(f"{BROWSER}/refresh", headers={"X-CSRF-Token": token})
    assert_problem(replay, 401)
    me = await browser.get("/api/v1/me", headers=bearer(rotated.json()["access_token"]))
    assert_problem(me, 401)
    del access


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_B8_refresh_without_a_cookie_is_a_401(browser: Client) -> None:
    token = await _csrf(browser)
    assert_problem(await browser.post(f"{BROWSER}/refresh", headers={"X-CSRF-Token": token}), 401)


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_B8_browser_logout_clears_the_cookie_and_ends_the_session(browser: Client) -> None:
    access, token = await _browser_login(browser)
    assert_problem(await browser.post(f"{BROWSER}/logout", headers=bearer(access)), 403)
    response = await browser.post(
        f"{BROWSER}/logout", headers={**bearer(access), "X-CSRF-Token": token}
    )
    assert response.status_code == 204, response.text
    cleared = _set_cookie(response, REFRESH_COOKIE)
    assert cleared.value == ""
    assert cleared["max-age"] == "0"
    assert browser.cookies.get(REFRESH_COOKIE) is None
    assert_problem(await browser.get("/api/v1/me", headers=bearer(access)), 401)


async def test_B8_an_unsafe_request_labelled_cross_site_is_refused_and_stores_nothing(
    browser: Client,
) -> None:
    access, _ = await _browser_login(browser)
    hostile = {**bearer(access), "Sec-Fetch-Site": "cross-site"}
    refused = await browser.post(
        "/api/v1/bookmarks", json={"url": "https://a.example"}, headers=hostile
    )
    assert_problem(refused, 403, "cross_site_request")
    listing = await browser.get("/api/v1/bookmarks", headers=hostile)  # reads are not unsafe
    assert listing.status_code == 200
    assert listing.json()["items"] == []
    for site in ("same-origin", "same-site", "none"):
        allowed = await browser.post(
            "/api/v1/bookmarks",
            json={"url": f"https://{site}.example"},
            headers={**bearer(access), "Sec-Fetch-Site": site},
        )
        assert allowed.status_code == 201, allowed.text


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_B8_cors_answers_only_the_configured_origin_and_never_a_wildcard(
    browser: Client,
) -> None:
    preflight = {"Access-Control-Request-Method": "POST"}
    allowed = await browser.options(
        "/api/v1/bookmarks", headers={"Origin": APP_ORIGIN, **preflight}
    )
    assert allowed.status_code == 204
    assert allowed.headers["access-control-allow-origin"] == APP_ORIGIN
    assert allowed.headers["access-control-allow-credentials"] == "true"
    assert "x-csrf-token" in allowed.headers["access-control-allow-headers"].lower()
    evil = "https://evil.example"
    refused = await browser.options("/api/v1/bookmarks", headers={"Origin": evil, **preflight})
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in refused.headers
    simple = await browser.get("/health/live", headers={"Origin": evil})
    assert simple.headers.get("access-control-allow-origin") not in ("*", evil)
    same = await browser.get("/health/live", headers={"Origin": APP_ORIGIN})
    assert same.headers["access-control-allow-origin"] == APP_ORIGIN


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_B8_without_configured_origins_no_cors_header_is_ever_sent(client: Client) -> None:
    preflight = {"Origin": APP_ORIGIN, "Access-Control-Request-Method": "POST"}
    response = await client.options("/api/v1/bookmarks", headers=preflight)
    assert "access-control-allow-origin" not in response.headers
    response = await client.get("/health/live", headers={"Origin": APP_ORIGIN})
    assert "access-control-allow-origin" not in response.headers


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_S29_responses_over_https_carry_hsts(browser: Client) -> None:
    for response in (
        await browser.get("/health/live"),
        await browser.get("/api/v1/me"),  # a 401 problem carries it too
    ):
        assert "max-age=31536000" in response.headers["strict-transport-security"]
