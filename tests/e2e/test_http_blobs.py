"""Files of the directory store served through signed, expiring URLs (S24)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from urllib.parse import urlsplit

from project.adapters.fs import LocalDirectoryBlobStore
from project.entrypoints.settings import Settings
from tests.e2e._http_kit import Client

HOSTILE = b"<html><script>fetch('/api/v1/me')</script></html>"


async def _chunks() -> AsyncIterator[bytes]:
    yield HOSTILE


async def _signed_path(settings: Settings, key: str = "snapshots/abc/page.html") -> str:
    store = LocalDirectoryBlobStore(
        settings.blob_dir,
        signing_key=settings.blob_signing_key(),
        base_url=settings.public_url,
    )
    await store.put(key, _chunks(), content_type="text/html")
    url = await store.signed_url(
        key,
        content_type="text/html; charset=utf-8",
        disposition='inline; filename="page.html"',
        expires_in=timedelta(seconds=60),
    )
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


async def test_a_signed_url_serves_the_file_sandboxed_with_the_forced_headers(
    client: Client, app_settings: Settings
) -> None:
    path = await _signed_path(app_settings)

    response = await client.get(path)

    assert response.status_code == 200
    assert response.content == HOSTILE
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["content-disposition"] == 'inline; filename="page.html"'
    assert response.headers["content-security-policy"].startswith("sandbox")
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_a_tampered_signed_url_is_not_found(client: Client, app_settings: Settings) -> None:
    path = await _signed_path(app_settings)

    forged = path.replace("text%2Fhtml", "text%2Fplain")
    response = await client.get(forged)

    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_an_unsigned_request_for_a_stored_file_is_refused(
    client: Client, app_settings: Settings
) -> None:
    await _signed_path(app_settings)

    response = await client.get("/blobs/snapshots/abc/page.html")

    assert response.status_code in (400, 404)
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_a_signed_url_for_another_key_does_not_open_this_one(
    client: Client, app_settings: Settings
) -> None:
    path = await _signed_path(app_settings, "snapshots/one/page.html")
    await _signed_path(app_settings, "snapshots/two/page.html")

    response = await client.get(path.replace("/one/", "/two/"))

    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
