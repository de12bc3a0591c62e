"""Archiving end to end (SPEC 3.7): save a link, the in-app worker fetches and keeps it.

The pages live on loopback, which the SSRF guard refuses by default; the "works" tests allow
127.0.0.0/8 through the homelab setting, the "blocked" ones allow only 127.0.0.2, where the
site that redirects lives, while the canary listens on 127.0.0.1.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from tests.e2e._archiving_kit import archive_settings, settled
from tests.e2e._http_kit import Client, Login, make_app, signup
from tests.e2e._site import BODY_WORD, Canary, Site, canary, serving


@pytest.fixture
def site() -> Iterator[Site]:
    with serving() as running:
        yield running


async def _save(client: Client, login: Login, url: str) -> str:
    created = await client.post("/api/v1/bookmarks", json={"url": url}, headers=login.headers)
    assert created.status_code == 201, created.text
    assert created.json()["archive_status"] == "pending"
    return str(created.json()["id"])


async def test_a_saved_page_is_archived_with_metadata_snapshot_images_and_text(
    tmp_path: Path, empty_database: str | None, site: Site
) -> None:
    settings = archive_settings(
        tmp_path,
        empty_database,
        fetch_allowed_networks=["127.0.0.0/8"],
        fetch_allowed_ports=[site.port],
    )
    async with AsyncTestClient(app=make_app(settings)) as client:
        ann = await signup(client, "ann@example.com")
        bookmark_id = await _save(client, ann, site.url("/article"))

        done = await settled(client, ann, bookmark_id)
        snapshot = await client.get(
            done["snapshot_url"], headers=ann.headers, follow_redirects=False
        )
        served = await client.get(snapshot.headers["location"])
        preview = await client.get(done["preview_url"], headers=ann.headers, follow_redirects=False)
        image = await client.get(preview.headers["location"])
        text = await client.get(f"/api/v1/bookmarks/{bookmark_id}/text", headers=ann.headers)
        found = await client.get("/api/v1/bookmarks", params={"q": BODY_WORD}, headers=ann.headers)
        token = await client.post(
            "/api/v1/tokens", json={"name": "ext", "scopes": ["read"]}, headers=ann.headers
        )
        linkding = await client.get(
            f"/api/bookmarks/{bookmark_id}/",
            headers={"Authorization": f"Token {token.json()['secret']}"},
        )

    assert done["archive_status"] == "archived", done
    assert done["title"] == ""  # the user typed none; the page's fills the display
    assert done["display_title"] == "The Open Graph title"
    assert done["page"]["description"] == "What the article is about."
    assert done["page"]["site_name"] == "Loopback Times"
    assert done["favicon_url"] is not None
    assert snapshot.status_code == 307
    assert served.status_code == 200
    assert served.headers["content-security-policy"].startswith("sandbox")
    assert served.headers["x-content-type-options"] == "nosniff"
    assert BODY_WORD.encode() in served.content
    assert image.status_code == 200
    assert image.headers["content-type"] == "image/webp"
    assert image.content[:4] == b"RIFF"
    assert image.content[8:12] == b"WEBP"
    assert BODY_WORD in text.json()["text"]
    assert "Copyright footer" not in text.json()["text"]
    assert [b["id"] for b in found.json()["items"]] == [bookmark_id]
    origin = settings.public_url.rstrip("/")
    assert linkding.json()["preview_image_url"] == f"{origin}{done['preview_url']}"
    assert linkding.json()["favicon_url"] == f"{origin}{done['favicon_url']}"
    assert linkding.json()["website_title"] == "The Open Graph title"


async def test_what_the_user_typed_survives_archiving(
    tmp_path: Path, empty_database: str | None, site: Site
) -> None:
    settings = archive_settings(
        tmp_path,
        empty_database,
        fetch_allowed_networks=["127.0.0.0/8"],
        fetch_allowed_ports=[site.port],
    )
    async with AsyncTestClient(app=make_app(settings)) as client:
        ann = await signup(client, "ann@example.com")
        created = await client.post(
            "/api/v1/bookmarks",
            json={"url": site.url("/article"), "title": "Mine", "description": "My words"},
            headers=ann.headers,
        )
        done = await settled(client, ann, created.json()["id"])

    assert done["archive_status"] == "archived"
    assert (done["title"], done["display_title"]) == ("Mine", "Mine")
    assert done["display_description"] == "My words"
    assert done["page"]["title"] == "The Open Graph title"


async def test_a_page_that_answers_404_ends_failed_with_the_reason(
    tmp_path: Path, empty_database: str | None, site: Site
) -> None:
    settings = archive_settings(
        tmp_path,
        empty_database,
        fetch_allowed_networks=["127.0.0.0/8"],
        fetch_allowed_ports=[site.port],
    )
    async with AsyncTestClient(app=make_app(settings)) as client:
        ann = await signup(client, "ann@example.com")
        done = await settled(client, ann, await _save(client, ann, site.url("/gone")))

    assert done["archive_status"] == "failed"
    assert "404" in done["archive_error"]


@pytest.mark.parametrize("path", ["/flaky", "/busy"])
async def test_a_transient_failure_is_retried_and_the_page_archived(
    tmp_path: Path, empty_database: str | None, site: Site, path: str
) -> None:
    settings = archive_settings(
        tmp_path,
        empty_database,
        fetch_allowed_networks=["127.0.0.0/8"],
        fetch_allowed_ports=[site.port],
        archive_retry_base_seconds=0.2,
    )
    async with AsyncTestClient(app=make_app(settings)) as client:
        ann = await signup(client, "ann@example.com")
        done = await settled(client, ann, await _save(client, ann, site.url(path)))

    assert done["archive_status"] == "archived", done
    assert site.hits.count(path) == 2  # one failure, one success


async def test_archive_requests_are_limited_per_user_S31(
    tmp_path: Path, empty_database: str | None, site: Site
) -> None:
    settings = archive_settings(
        tmp_path,
        empty_database,
        fetch_allowed_networks=["127.0.0.0/8"],
        fetch_allowed_ports=[site.port],
        archive_per_hour=2,
    )
    async with AsyncTestClient(app=make_app(settings)) as client:
        ann = await signup(client, "ann@example.com")
        bob = await signup(client, "bob@example.com")
        bookmark_id = await _save(client, ann, site.url("/article"))
        bobs = await _save(client, bob, site.url("/article"))
        path = f"/api/v1/bookmarks/{bookmark_id}/archive"
        answers = [(await client.post(path, headers=ann.headers)).status_code for _ in range(3)]
        limited = await client.post(path, headers=ann.headers)
        others = await client.post(f"/api/v1/bookmarks/{bobs}/archive", headers=bob.headers)
        stranger = await client.post(path, headers=bob.headers)

    assert answers == [202, 202, 429]
    assert int(limited.headers["retry-after"]) > 0
    assert others.status_code == 202  # the limit is per user
    assert stranger.status_code == 404


@pytest.fixture
def bird() -> Iterator[Canary]:
    with canary() as listening:
        yield listening


async def test_B2_private_and_metadata_addresses_end_failed_and_the_canary_hears_nothing(
    tmp_path: Path, empty_database: str | None, bird: Canary
) -> None:
    with serving("127.0.0.2", canary_port=bird.port) as public:
        settings = archive_settings(
            tmp_path,
            empty_database,
            fetch_allowed_networks=["127.0.0.2/32"],  # the "public" site only
            fetch_allowed_ports=[80, bird.port, public.port],
        )
        urls = [
            f"http://127.0.0.1:{bird.port}/",
            f"http://2130706433:{bird.port}/",
            f"http://0x7f000001:{bird.port}/",
            f"http://[::ffff:127.0.0.1]:{bird.port}/",
            public.url("/to-metadata"),
            public.url("/to-canary"),
        ]
        async with AsyncTestClient(app=make_app(settings)) as client:
            ann = await signup(client, "ann@example.com")
            ids = [await _save(client, ann, url) for url in urls]
            outcomes = [await settled(client, ann, bookmark_id) for bookmark_id in ids]

    for url, outcome in zip(urls, outcomes, strict=True):
        assert outcome["archive_status"] == "failed", (url, outcome)
        assert "blocked" in outcome["archive_error"].lower(), (url, outcome)
    assert bird.connections == []


async def test_a_collection_viewer_reads_the_archive_and_a_stranger_gets_404_S13(
    tmp_path: Path, empty_database: str | None, site: Site
) -> None:
    settings = archive_settings(
        tmp_path,
        empty_database,
        fetch_allowed_networks=["127.0.0.0/8"],
        fetch_allowed_ports=[site.port],
    )
    async with AsyncTestClient(app=make_app(settings)) as client:
        ann = await signup(client, "ann@example.com")
        viewer = await signup(client, "vic@example.com")
        stranger = await signup(client, "sam@example.com")
        shelf = await client.post(
            "/api/v1/collections", json={"name": "Shelf"}, headers=ann.headers
        )
        await client.put(
            f"/api/v1/collections/{shelf.json()['id']}/members",
            json={"email": viewer.email, "role": "viewer"},
            headers=ann.headers,
        )
        created = await client.post(
            "/api/v1/bookmarks",
            json={"url": site.url("/article"), "collection_id": shelf.json()["id"]},
            headers=ann.headers,
        )
        bookmark_id = created.json()["id"]
        await settled(client, ann, bookmark_id)
        reads = {}
        for who, login in (("viewer", viewer), ("stranger", stranger)):
            for part in ("snapshot", "text", "preview", "favicon"):
                response = await client.get(
                    f"/api/v1/bookmarks/{bookmark_id}/{part}",
                    headers=login.headers,
                    follow_redirects=False,
                )
                reads[who, part] = response.status_code

    assert reads == {
        **{("viewer", part): 307 for part in ("snapshot", "preview", "favicon")},
        ("viewer", "text"): 200,
        **{("stranger", part): 404 for part in ("snapshot", "text", "preview", "favicon")},
    }
