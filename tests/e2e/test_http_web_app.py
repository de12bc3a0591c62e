"""The browser client as the app serves it: the entry page on every client route, hashed
assets cached for a year, the API's prefixes left to the API, and the initial download small.
"""

from __future__ import annotations

import gzip
import re

from project.entrypoints.http.web_app import BUILT_APP
from tests.e2e._http_kit import Client, assert_problem

INITIAL_JS_BUDGET = 200 * 1024  # issue 8: initial JavaScript under 200 KB gzipped
_ASSET = re.compile(r'(?:src|href)="(/assets/[^"]+)"')
_CHUNK = re.compile(r"-[\w-]{8}\.js$")  # Vite's name-<8 character hash>.js
_HASHED = re.compile(r"^/assets/[\w.-]+-[\w-]{8,}\.(?:js|css)$")


def _entry_assets() -> list[str]:
    return _ASSET.findall((BUILT_APP / "index.html").read_text())


async def test_the_entry_page_answers_at_the_root_and_every_client_route(client: Client) -> None:
    expected = (BUILT_APP / "index.html").read_bytes()
    for path in ("/", "/sign-in", "/tags", "/collections/0190d0d0-0000-7000-8000-000000000000"):
        response = await client.get(path)
        assert response.status_code == 200, path
        assert response.content == expected
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        assert response.headers["cache-control"] == "no-cache"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


async def test_the_server_prefixes_never_fall_back_to_the_entry_page(client: Client) -> None:
    paths = ("/api/v1/no-such-route", "/api", "/blobs", "/health", "/schema-not", "/assets")
    for path in (*paths, "/favicon.ico"):
        response = await client.get(path)
        if path == "/schema-not":  # not a server prefix: the app's router shows its 404 page
            assert response.status_code == 200
            continue
        assert response.status_code == 404, path
        assert_problem(response, 404, "not_found")


async def test_hashed_assets_are_immutable_and_the_missing_ones_404(client: Client) -> None:
    assets = _entry_assets()
    assert assets, "index.html names no assets"
    for path in assets:
        assert _HASHED.match(path), f"{path} has no content hash in its name"
        response = await client.get(path)
        assert response.status_code == 200, path
        directives = {part.strip() for part in response.headers["cache-control"].split(",")}
        assert directives == {"public", "max-age=31536000", "immutable"}
    missing = await client.get("/assets/index-00000000.js")
    assert missing.status_code == 404


async def test_the_initial_javascript_is_under_200_kb_gzipped() -> None:
    scripts = [path for path in _entry_assets() if path.endswith(".js")]
    assert scripts
    sizes = {
        path: len(gzip.compress((BUILT_APP / path.removeprefix("/")).read_bytes(), 9))
        for path in scripts
    }
    assert sum(sizes.values()) < INITIAL_JS_BUDGET, sizes


def test_every_page_but_the_list_is_its_own_chunk() -> None:
    chunks = list((BUILT_APP / "assets").glob("*.js"))
    names = {_CHUNK.sub("", chunk.name) for chunk in chunks}
    for page in ("SignIn", "BookmarkView", "Collections", "Settings", "Admin", "ImportExport"):
        assert page in names, f"{page} is not split into its own chunk: {sorted(names)}"
