"""Imports (multipart upload, job status) and streamed exports over HTTP (SPEC 3.6)."""

from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from litestar.types import Message

from project.entrypoints.settings import Settings
from tests.e2e._http_kit import Client, Login, assert_problem, make_app, signup

BOOKMARKS = "/api/v1/bookmarks"
IMPORTS = "/api/v1/imports"
EXPORTS = "/api/v1/exports"
POLL_SECONDS = 60

NETSCAPE_FILE = b"""<!DOCTYPE NETSCAPE-Bookmark-file-1>
<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">
<TITLE>Bookmarks</TITLE>
<H1>Bookmarks</H1>
<DL><p>
    <DT><H3>Dev</H3>
    <DL><p>
        <DT><A HREF="https://python.org/" ADD_DATE="1700000000" TAGS="python,lang">Python</A>
        <DD>The language
        <DT><A HREF="https://docs.python.org/3/" TOREAD="1">Docs</A>
    </DL><p>
    <DT><A HREF="https://example.com/a?utm_source=feed">Example</A>
    <DT><A HREF="HTTPS://EXAMPLE.com:443/a#top">Example again</A>
    <DT><A HREF="javascript:alert(1)">Evil</A>
</DL><p>
"""


def _flags(bookmark: dict[str, Any]) -> tuple[str, tuple[str, ...], bool, bool, bool]:
    return (
        bookmark["url"],
        tuple(bookmark["tags"]),
        bookmark["unread"],
        bookmark["archived"],
        bookmark["favorite"],
    )


async def _all(client: Client, owner: Login) -> list[dict[str, Any]]:
    response = await client.get(BOOKMARKS, params={"limit": 100}, headers=owner.headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def _upload(
    client: Client, owner: Login, content: bytes, name: str = "bookmarks.html", **fields: str
) -> dict[str, Any]:
    response = await client.post(
        IMPORTS, files={"file": (name, content, "text/html")}, data=fields, headers=owner.headers
    )
    assert response.status_code == 202, response.text
    body: dict[str, Any] = response.json()
    assert response.headers["location"] == f"{IMPORTS}/{body['id']}"
    return body


async def _finished(client: Client, owner: Login, job: dict[str, Any]) -> dict[str, Any]:
    deadline = time.monotonic() + POLL_SECONDS
    while True:
        response = await client.get(f"{IMPORTS}/{job['id']}", headers=owner.headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        if body["status"] in ("done", "failed"):
            return body
        assert time.monotonic() < deadline, f"the import did not finish: {body}"
        await asyncio.sleep(0.05)


def _entries(count: int) -> bytes:
    """`count` distinct Netscape entries of about 250 bytes each."""
    title = b"t" * 200
    return b"".join(
        b'<DT><A HREF="https://example.com/%d">%s</A>\n' % (i, title) for i in range(count)
    )


async def test_a_netscape_upload_becomes_a_job_whose_report_matches_the_bookmarks(
    client: Client,
) -> None:
    ann = await signup(client, "ann@example.com")
    job = await _upload(client, ann, NETSCAPE_FILE, folders_as_tags="true")
    assert job["status"] in ("queued", "running", "done")
    assert job["file_name"] == "bookmarks.html"

    done = await _finished(client, ann, job)
    assert done["status"] == "done", done
    assert done["error"] is None
    assert done["finished_at"] is not None
    report = done["report"]
    assert (report["created"], report["updated"], report["skipped"]) == (3, 0, 1)
    assert report["invalid_count"] == 1
    [invalid] = report["invalid"]
    assert invalid["url"] == "javascript:alert(1)"
    assert invalid["reason"]
    assert invalid["position"] == 5

    saved = {b["url"]: b for b in await _all(client, ann)}
    assert set(saved) == {
        "https://python.org/",
        "https://docs.python.org/3/",
        "https://example.com/a?utm_source=feed",
    }
    assert saved["https://python.org/"]["tags"] == ["dev", "lang", "python"]
    assert saved["https://python.org/"]["description"] == "The language"
    assert saved["https://docs.python.org/3/"]["unread"]

    bob = await signup(client, "bob@example.com")
    assert_problem(await client.get(f"{IMPORTS}/{job['id']}", headers=bob.headers), 404)
    assert_problem(await client.get(f"{IMPORTS}/{uuid.uuid4()}", headers=ann.headers), 404)


async def test_importing_again_skips_or_updates(client: Client) -> None:
    ann = await signup(client, "ann@example.com")
    await _finished(client, ann, await _upload(client, ann, NETSCAPE_FILE))
    again = await _finished(client, ann, await _upload(client, ann, NETSCAPE_FILE))
    assert again["report"]["created"] == 0
    assert again["report"]["skipped"] == 4

    changed = NETSCAPE_FILE.replace(b'TAGS="python,lang"', b'TAGS="python,new"')
    updated = await _finished(client, ann, await _upload(client, ann, changed, mode="update"))
    assert updated["report"]["created"] == 0
    assert updated["report"]["updated"] >= 1
    python = next(b for b in await _all(client, ann) if b["url"] == "https://python.org/")
    assert python["tags"] == ["lang", "new", "python"]


async def test_a_jsonl_upload_is_read_as_json_lines(client: Client) -> None:
    ann = await signup(client, "ann@example.com")
    lines = [
        {"url": "https://one.example/", "title": "One", "tags": ["a"], "favorite": True},
        {"url": "https://two.example/", "archived": True},
    ]
    content = "\n".join(json.dumps(line) for line in lines).encode() + b"\nnot json\n"
    done = await _finished(
        client, ann, await _upload(client, ann, content, "b.jsonl", format="jsonl")
    )
    assert done["report"]["created"] == 2, done
    assert done["report"]["invalid_count"] == 1
    saved = {b["url"]: b for b in await _all(client, ann)}
    assert saved["https://one.example/"]["favorite"]
    assert saved["https://two.example/"]["archived"]


async def test_bad_uploads_are_refused(client: Client) -> None:
    ann = await signup(client, "ann@example.com")
    as_json = await client.post(IMPORTS, json={"file": "x"}, headers=ann.headers)
    assert_problem(as_json, 415, "unsupported_media_type")
    no_file = await client.post(
        IMPORTS, files={"other": ("x.html", b"x")}, data={"format": "netscape"}, headers=ann.headers
    )
    assert_problem(no_file, 400)
    for fields in ({"format": "csv"}, {"mode": "replace"}, {"owner_id": str(uuid.uuid4())}):
        response = await client.post(
            IMPORTS, files={"file": ("x.html", b"x")}, data=fields, headers=ann.headers
        )
        assert_problem(response, 400)
    token = await client.post(
        "/api/v1/tokens", json={"name": "reader", "scopes": ["read"]}, headers=ann.headers
    )
    reader = {"Authorization": f"Bearer {token.json()['secret']}"}
    read_only = await client.post(IMPORTS, files={"file": ("x.html", b"x")}, headers=reader)
    assert_problem(read_only, 403)
    assert await _all(client, ann) == []


@pytest.fixture
def small_cap_settings(app_settings: Settings) -> Settings:
    return Settings(
        env=app_settings.env,
        data_dir=app_settings.data_dir,
        database_url=app_settings.database_url,
        import_max_mib=1,
    ).resolve()


async def test_an_upload_over_the_configured_cap_is_413(small_cap_settings: Settings) -> None:
    async with AsyncTestClient(app=make_app(small_cap_settings)) as client:
        ann = await signup(client, "ann@example.com")
        big = _entries(5_000)
        assert 1024 * 1024 < len(big) < 2 * 1024 * 1024
        oversized = await client.post(
            IMPORTS, files={"file": ("big.html", big)}, headers=ann.headers
        )
        assert_problem(oversized, 413, "payload_too_large")
        assert "1 MiB" in oversized.json()["detail"]

        small = await _upload(client, ann, NETSCAPE_FILE)
        assert (await _finished(client, ann, small))["report"]["created"] == 3
        assert len(await _all(client, ann)) == 3


async def test_a_chunked_upload_without_content_length_is_cut_off_at_the_cap(
    small_cap_settings: Settings,
) -> None:
    async with AsyncTestClient(app=make_app(small_cap_settings)) as client:
        ann = await signup(client, "ann@example.com")
        head = (
            b'--B\r\nContent-Disposition: form-data; name="file"; filename="a.html"\r\n'
            b"Content-Type: text/html\r\n\r\n"
        )
        chunks = [head, *[b"x" * 65_536] * 40, b"\r\n--B--\r\n"]
        headers = {**ann.headers, "Content-Type": "multipart/form-data; boundary=B"}
        # httpx's test transport always sends a Content-Length, so talk ASGI directly, on the
        # test client's own loop (where the app and its connection pool live).
        status, body = client.blocking_portal.call(_asgi_post, client.app, IMPORTS, headers, chunks)
        assert status == 413
        assert json.loads(body)["code"] == "payload_too_large"


async def _asgi_post(
    app: Litestar, path: str, headers: dict[str, str], chunks: list[bytes]
) -> tuple[int, bytes]:
    """POST `chunks` as a streamed body with no Content-Length; the status and body."""
    messages = iter(
        [
            *({"type": "http.request", "body": chunk, "more_body": True} for chunk in chunks),
            {"type": "http.request", "body": b"", "more_body": False},
        ]
    )
    sent: list[Message] = []

    async def receive() -> Any:
        return next(messages, {"type": "http.disconnect"})

    async def send(message: Message) -> None:
        sent.append(message)

    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50_000),
        "server": ("testserver", 80),
    }
    await app(scope, receive, send)  # type: ignore[arg-type]
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    return status, b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


async def test_an_import_may_be_bigger_than_the_1_mib_json_cap_S16(client: Client) -> None:
    ann = await signup(client, "ann@example.com")
    big = _entries(5_000)
    assert len(big) > 1024 * 1024
    done = await _finished(client, ann, await _upload(client, ann, big))
    assert done["report"]["created"] == 5_000
    assert_problem(
        await client.post(
            BOOKMARKS,
            content=b'{"url": "https://example.com/", "notes": "' + b"n" * len(big) + b'"}',
            headers={**ann.headers, "Content-Type": "application/json"},
        ),
        413,
        "payload_too_large",
    )


async def test_exports_stream_what_a_second_user_reimports_identically(client: Client) -> None:
    ann = await signup(client, "ann@example.com")
    for url, fields in (
        ("https://a.example/", {"tags": ["x", "dev/py"], "unread": True}),
        ("https://b.example/page?q=1", {"title": "B", "archived": True, "favorite": True}),
        ("https://c.example/", {"description": "see <this> & that", "notes": "n"}),
    ):
        created = await client.post(BOOKMARKS, json={"url": url, **fields}, headers=ann.headers)
        assert created.status_code == 201, created.text
    expected = sorted(_flags(b) for b in await _all(client, ann))
    today = datetime.now(UTC).strftime("%Y-%m-%d")

    for fmt, media_type, extension in (
        ("netscape", "text/html", "html"),
        ("jsonl", "application/x-ndjson", "jsonl"),
    ):
        exported = await client.get(EXPORTS, params={"format": fmt}, headers=ann.headers)
        assert exported.status_code == 200, exported.text
        assert exported.headers["content-type"].startswith(media_type)
        disposition = exported.headers["content-disposition"]
        assert disposition == f'attachment; filename="bookmarks-{today}.{extension}"'
        assert "https://b.example/page?q=1" in exported.text

        reader = await signup(client, f"{fmt}@example.com")
        job = await _upload(client, reader, exported.content, f"export.{extension}", format=fmt)
        done = await _finished(client, reader, job)
        assert done["report"]["created"] == 3, done
        assert sorted(_flags(b) for b in await _all(client, reader)) == expected

    default = await client.get(EXPORTS, headers=ann.headers)
    assert default.headers["content-type"].startswith("text/html")
    assert re.search(
        r'filename="bookmarks-\d{4}-\d{2}-\d{2}\.html"', default.headers["content-disposition"]
    )
    assert_problem(await client.get(EXPORTS, params={"format": "xml"}, headers=ann.headers), 400)


async def test_an_export_holds_only_the_callers_bookmarks(client: Client) -> None:
    ann = await signup(client, "ann@example.com")
    bob = await signup(client, "bob@example.com")
    await client.post(BOOKMARKS, json={"url": "https://bob.example/"}, headers=bob.headers)
    for fmt in ("netscape", "jsonl"):
        exported = await client.get(EXPORTS, params={"format": fmt}, headers=ann.headers)
        assert exported.status_code == 200
        assert "bob.example" not in exported.text
