"""Smart lists over HTTP: saved searches, run on demand, owned by one user (SPEC 3.2)."""

from __future__ import annotations

import uuid
from typing import Any

from tests.e2e._http_kit import Client, Login, assert_problem, signup

SMART_LISTS = "/api/v1/smart-lists"
BOOKMARKS = "/api/v1/bookmarks"


async def _bookmark(client: Client, who: Login, url: str, **fields: Any) -> str:
    response = await client.post(BOOKMARKS, json={"url": url, **fields}, headers=who.headers)
    assert response.status_code == 201, response.text
    bookmark_id: str = response.json()["id"]
    return bookmark_id


async def _titles(client: Client, who: Login, smart_id: str, **params: Any) -> list[str]:
    response = await client.get(
        f"{SMART_LISTS}/{smart_id}/bookmarks", params=params, headers=who.headers
    )
    assert response.status_code == 200, response.text
    return [b["title"] for b in response.json()["items"]]


async def test_create_run_update_and_delete_a_smart_list(client: Client) -> None:
    ann = await signup(client, "ann@example.com")
    await _bookmark(client, ann, "https://example.com/1", title="Old python", tags=["python"])
    await _bookmark(client, ann, "https://example.com/2", title="New python", tags=["python"])
    await _bookmark(client, ann, "https://example.com/3", title="Rust", tags=["rust"])

    created = await client.post(
        SMART_LISTS, json={"name": "Python", "query": "#python"}, headers=ann.headers
    )
    assert created.status_code == 201, created.text
    smart = created.json()
    assert (smart["name"], smart["query"], smart["sort"]) == ("Python", "#python", "newest")
    sid = smart["id"]

    assert await _titles(client, ann, sid) == ["New python", "Old python"]
    assert await _titles(client, ann, sid, limit=1) == ["New python"]
    got = await client.get(f"{SMART_LISTS}/{sid}", headers=ann.headers)
    assert got.json() == smart
    listed = await client.get(SMART_LISTS, headers=ann.headers)
    assert [s["id"] for s in listed.json()["items"]] == [sid]

    patched = await client.patch(
        f"{SMART_LISTS}/{sid}", json={"sort": "oldest"}, headers=ann.headers
    )
    assert patched.status_code == 200, patched.text
    assert (patched.json()["query"], patched.json()["sort"]) == ("#python", "oldest")
    assert await _titles(client, ann, sid) == ["Old python", "New python"]
    requery = await client.patch(
        f"{SMART_LISTS}/{sid}", json={"query": "#rust", "name": "Rust"}, headers=ann.headers
    )
    assert requery.json()["name"] == "Rust"
    assert await _titles(client, ann, sid) == ["Rust"]

    deleted = await client.delete(f"{SMART_LISTS}/{sid}", headers=ann.headers)
    assert deleted.status_code == 204
    assert_problem(await client.get(f"{SMART_LISTS}/{sid}", headers=ann.headers), 404)


async def test_a_smart_list_runs_over_its_owners_bookmarks_only_S13(client: Client) -> None:
    ann = await signup(client, "ann@example.com")
    eve = await signup(client, "eve@example.com")
    await _bookmark(client, ann, "https://example.com/ann", title="Ann's", tags=["t"])
    created = await client.post(SMART_LISTS, json={"name": "T", "query": "#t"}, headers=ann.headers)
    sid = created.json()["id"]
    eves = await client.post(SMART_LISTS, json={"name": "T", "query": "#t"}, headers=eve.headers)
    assert await _titles(client, eve, eves.json()["id"]) == []

    h = eve.headers
    for response in (
        await client.get(f"{SMART_LISTS}/{sid}", headers=h),
        await client.patch(f"{SMART_LISTS}/{sid}", json={"name": "Mine"}, headers=h),
        await client.delete(f"{SMART_LISTS}/{sid}", headers=h),
        await client.get(f"{SMART_LISTS}/{sid}/bookmarks", headers=h),
        await client.get(f"{SMART_LISTS}/{uuid.uuid4()}", headers=h),
    ):
        assert_problem(response, 404, "not_found")
    assert [s["id"] for s in (await client.get(SMART_LISTS, headers=h)).json()["items"]] == [
        eves.json()["id"]
    ]
    assert await _titles(client, ann, sid) == ["Ann's"]


async def test_smart_list_bodies_are_strict_and_bounded_S15_S16(client: Client) -> None:
    ann = await signup(client, "ann@example.com")
    for body in (
        {"name": "x", "sort": "random"},
        {"name": "x", "owner_id": str(uuid.uuid4())},
        {"name": ""},
        {"name": "x", "query": "q" * 1001},
        {"query": "#t"},
    ):
        assert_problem(await client.post(SMART_LISTS, json=body, headers=ann.headers), 400)
    sid = (await client.post(SMART_LISTS, json={"name": "x"}, headers=ann.headers)).json()["id"]
    for body in ({"id": str(uuid.uuid4())}, {"created_at": "2020-01-01T00:00:00Z"}):
        response = await client.patch(f"{SMART_LISTS}/{sid}", json=body, headers=ann.headers)
        assert_problem(response, 400, "validation_error")
    bad_page = await client.get(f"{SMART_LISTS}/{sid}/bookmarks?limit=0", headers=ann.headers)
    assert_problem(bad_page, 400)
    bad_cursor = await client.get(f"{SMART_LISTS}/{sid}/bookmarks?cursor=nope", headers=ann.headers)
    assert_problem(bad_cursor, 422)
