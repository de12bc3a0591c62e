"""The per-user storage quota end to end (S23): archives count against it, a page that does
not fit ends failed and stores nothing, deleting frees room, and `/me` shows where one stands.

The pages live on loopback (allowed through the homelab setting, as in the archiving tests);
each heavy page is ~600 KiB, so one fits a 1 MiB quota and two do not.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from project.domain.model.storage import MIB
from project.entrypoints.container import Container
from project.entrypoints.settings import Settings
from tests.e2e._archiving_kit import archive_settings, settled
from tests.e2e._http_kit import Client, Login, make_app, signup
from tests.e2e._site import HEAVY_ARTICLE, Site, serving


@pytest.fixture
def site() -> Iterator[Site]:
    with serving() as running:
        yield running


async def _save(client: Client, login: Login, url: str) -> str:
    created = await client.post("/api/v1/bookmarks", json={"url": url}, headers=login.headers)
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


async def _storage(client: Client, login: Login) -> dict[str, Any]:
    me = await client.get("/api/v1/me", headers=login.headers)
    assert me.status_code == 200, me.text
    storage: dict[str, Any] = me.json()["storage"]
    return storage


async def _blobs(settings: Settings) -> dict[str, int]:
    """Key -> size of every object in the instance's blob store."""
    blobs = Container(settings=settings).blobs()
    return {info.key: info.size async for info in blobs.list("")}


async def _without(settings: Settings, bookmark_id: str) -> dict[str, int]:
    """The blob store once the background deletion of a bookmark's archive has run."""
    for _ in range(50):
        blobs = await _blobs(settings)
        if not any(bookmark_id in key for key in blobs):
            return blobs
        await asyncio.sleep(0.1)
    raise AssertionError(f"the archive of {bookmark_id} is still stored: {sorted(blobs)}")


async def test_a_page_past_the_quota_fails_and_stores_nothing_until_room_is_freed_S23(
    tmp_path: Path, empty_database: str | None, site: Site
) -> None:
    settings = archive_settings(
        tmp_path,
        empty_database,
        fetch_allowed_networks=["127.0.0.0/8"],
        fetch_allowed_ports=[site.port],
        storage_quota_mib=1,
    )
    async with AsyncTestClient(app=make_app(settings)) as client:
        ann = await signup(client, "ann@example.com")
        bob = await signup(client, "bob@example.com")
        empty = await _storage(client, ann)
        first = await _save(client, ann, site.url("/heavy/first"))
        archived = await settled(client, ann, first)
        stored = await _blobs(settings)
        used = await _storage(client, ann)
        # Archiving the same page again replaces its bytes: it still fits, and counts once.
        again = await client.post(f"/api/v1/bookmarks/{first}/archive", headers=ann.headers)
        assert again.status_code == 202, again.text
        assert (await settled(client, ann, first))["archive_status"] == "archived"
        used_again = await _storage(client, ann)

        second = await _save(client, ann, site.url("/heavy/second"))
        refused = await settled(client, ann, second)
        after_refusal = await _blobs(settings)
        used_after_refusal = await _storage(client, ann)
        image_fetches = site.hits.count("/preview.png")
        bobs = await _save(client, bob, site.url("/heavy/bob"))  # the quota is per user
        bobs_outcome = await settled(client, bob, bobs)

        deleted = await client.delete(f"/api/v1/bookmarks/{first}", headers=ann.headers)
        freed = await _storage(client, ann)
        after_delete = await _without(settings, first)
        retried = await client.post(f"/api/v1/bookmarks/{second}/archive", headers=ann.headers)
        retried_outcome = await settled(client, ann, second)
        finally_used = await _storage(client, ann)
        finally_stored = await _blobs(settings)
        # A bulk delete frees room and deletes blobs too, of the caller's bookmarks only.
        bulk = await client.post(
            "/api/v1/bookmarks/bulk",
            json={"ids": [second, bobs], "action": "delete"},
            headers=ann.headers,
        )
        after_bulk = await _without(settings, second)
        emptied = await _storage(client, ann)

    assert empty == {"used_bytes": 0, "quota_bytes": MIB}
    assert archived["archive_status"] == "archived", archived
    firsts = {key: size for key, size in stored.items() if first in key}
    assert sorted(firsts) == [
        f"favicons/{first}.webp",
        f"previews/{first}.webp",
        f"snapshots/{first}",
    ]
    assert firsts[f"snapshots/{first}"] == len(HEAVY_ARTICLE)
    assert used == {"used_bytes": sum(firsts.values()), "quota_bytes": MIB}
    assert used_again == used

    assert refused["archive_status"] == "failed"
    assert refused["archive_error"].startswith("Storage quota exceeded: 0.6 MiB of 1 MiB used")
    assert refused["preview_url"] is None
    assert not any(second in key for key in after_refusal)
    assert after_refusal == stored
    assert used_after_refusal == used
    assert image_fetches == 2  # the first page's two runs: the refused one never got that far
    assert bobs_outcome["archive_status"] == "archived", bobs_outcome

    assert deleted.status_code == 204
    assert freed == {"used_bytes": 0, "quota_bytes": MIB}
    assert not any(first in key for key in after_delete)
    assert retried.status_code == 202, retried.text
    assert retried_outcome["archive_status"] == "archived", retried_outcome
    seconds = {key: size for key, size in finally_stored.items() if second in key}
    assert len(seconds) == 3
    assert finally_used == {"used_bytes": sum(seconds.values()), "quota_bytes": MIB}
    assert bulk.json()["not_found"] == [bobs]
    assert emptied == {"used_bytes": 0, "quota_bytes": MIB}
    assert sorted(after_bulk) == sorted(key for key in finally_stored if bobs in key)


@pytest.mark.parametrize(("mib", "quota_bytes"), [(0, None), (1024, 1024 * MIB)])
async def test_me_shows_the_quota_in_bytes_or_none_when_unlimited(
    tmp_path: Path, empty_database: str | None, mib: int, quota_bytes: int | None
) -> None:
    settings = archive_settings(
        tmp_path, empty_database, archive_on_save=False, storage_quota_mib=mib
    )
    async with AsyncTestClient(app=make_app(settings)) as client:
        ann = await signup(client, "ann@example.com")
        storage = await _storage(client, ann)

    assert storage == {"used_bytes": 0, "quota_bytes": quota_bytes}
