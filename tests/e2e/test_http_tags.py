"""Tags over HTTP: counts, rename, merge, delete, including names with "/" (SPEC 3.3)."""

from __future__ import annotations

from typing import Any

from tests.e2e._http_kit import Client, Login, assert_problem, signup

BOOKMARKS = "/api/v1/bookmarks"
TAGS = "/api/v1/tags"


async def _create(client: Client, owner: Login, url: str, tags: list[str]) -> dict[str, Any]:
    response = await client.post(BOOKMARKS, json={"url": url, "tags": tags}, headers=owner.headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def _counts(client: Client, owner: Login) -> dict[str, int]:
    response = await client.get(TAGS, headers=owner.headers)
    assert response.status_code == 200, response.text
    return {item["name"]: item["count"] for item in response.json()["items"]}


async def _tags_of(client: Client, owner: Login, bookmark: dict[str, Any]) -> list[str]:
    response = await client.get(f"{BOOKMARKS}/{bookmark['id']}", headers=owner.headers)
    tags: list[str] = response.json()["tags"]
    return tags


async def test_counts_are_per_user(client: Client) -> None:
    ann = await signup(client, "ann@example.com")
    bob = await signup(client, "bob@example.com")
    await _create(client, ann, "https://example.com/1", ["python", "web"])
    await _create(client, ann, "https://example.com/2", ["python"])
    await _create(client, bob, "https://example.com/3", ["secret"])
    assert await _counts(client, ann) == {"python": 2, "web": 1}
    assert await _counts(client, bob) == {"secret": 1}


async def test_rename_merge_and_delete(client: Client) -> None:
    ann = await signup(client, "ann@example.com")
    bob = await signup(client, "bob@example.com")
    one = await _create(client, ann, "https://example.com/1", ["py", "web"])
    two = await _create(client, ann, "https://example.com/2", ["python3", "py"])
    bobs = await _create(client, bob, "https://example.com/b", ["py"])
    etag = (await client.get(f"{BOOKMARKS}/{one['id']}", headers=ann.headers)).headers["etag"]

    renamed = await client.patch(f"{TAGS}/py", json={"name": "Python"}, headers=ann.headers)
    assert renamed.status_code == 200, renamed.text
    assert renamed.json() == {"changed": 2}
    assert await _counts(client, ann) == {"python": 2, "python3": 1, "web": 1}
    moved = await client.get(f"{BOOKMARKS}/{one['id']}", headers=ann.headers)
    assert moved.headers["etag"] != etag  # a rename is a change of the bookmark

    merged = await client.post(
        f"{TAGS}/merge", json={"sources": ["python3", "web"], "into": "python"}, headers=ann.headers
    )
    assert merged.status_code == 200, merged.text
    assert merged.json() == {"changed": 2}
    assert await _counts(client, ann) == {"python": 2}
    assert await _tags_of(client, ann, two) == ["python"]

    deleted = await client.delete(f"{TAGS}/python", headers=ann.headers)
    assert deleted.status_code == 204
    assert await _counts(client, ann) == {}
    assert await _tags_of(client, ann, one) == []
    assert await _tags_of(client, bob, bobs) == ["py"]


async def test_a_tag_with_slashes_can_be_renamed_and_deleted(client: Client) -> None:
    ann = await signup(client, "ann@example.com")
    one = await _create(client, ann, "https://example.com/1", ["dev/python/async"])
    await _create(client, ann, "https://example.com/2", ["a/b"])

    renamed = await client.patch(
        f"{TAGS}/dev/python/async", json={"name": "dev/py"}, headers=ann.headers
    )
    assert renamed.status_code == 200, renamed.text
    assert await _tags_of(client, ann, one) == ["dev/py"]

    encoded = await client.patch(f"{TAGS}/dev%2Fpy", json={"name": "x/y"}, headers=ann.headers)
    assert encoded.status_code == 200, encoded.text
    assert await _tags_of(client, ann, one) == ["x/y"]

    assert (await client.delete(f"{TAGS}/a/b", headers=ann.headers)).status_code == 204
    assert (await client.delete(f"{TAGS}/x%2Fy", headers=ann.headers)).status_code == 204
    assert await _counts(client, ann) == {}


async def test_a_tag_named_merge_is_not_shadowed_by_the_merge_route(client: Client) -> None:
    ann = await signup(client, "ann@example.com")
    one = await _create(client, ann, "https://example.com/1", ["merge"])
    renamed = await client.patch(f"{TAGS}/merge", json={"name": "joined"}, headers=ann.headers)
    assert renamed.json() == {"changed": 1}
    await client.patch(f"{TAGS}/joined", json={"name": "merge"}, headers=ann.headers)
    assert await _tags_of(client, ann, one) == ["merge"]
    assert (await client.delete(f"{TAGS}/merge", headers=ann.headers)).status_code == 204
    assert await _tags_of(client, ann, one) == []


async def test_unknown_and_foreign_tags_are_404(client: Client) -> None:
    ann = await signup(client, "ann@example.com")
    mallory = await signup(client, "mallory@example.com")
    await _create(client, ann, "https://example.com/1", ["private"])

    rename = await client.patch(f"{TAGS}/private", json={"name": "x"}, headers=mallory.headers)
    assert_problem(rename, 404, "not_found")
    assert_problem(await client.delete(f"{TAGS}/private", headers=mallory.headers), 404)
    merge = await client.post(
        f"{TAGS}/merge", json={"sources": ["private"], "into": "x"}, headers=mallory.headers
    )
    assert_problem(merge, 404)
    assert await _counts(client, ann) == {"private": 1}


async def test_bad_tag_names_and_bodies(client: Client) -> None:
    ann = await signup(client, "ann@example.com")
    await _create(client, ann, "https://example.com/1", ["ok"])
    assert_problem(
        await client.patch(f"{TAGS}/ok", json={"name": "has space"}, headers=ann.headers), 422
    )
    assert_problem(
        await client.patch(f"{TAGS}/ok", json={"name": "x" * 65}, headers=ann.headers), 400
    )
    assert_problem(
        await client.patch(f"{TAGS}/ok", json={"name": "x", "count": 9}, headers=ann.headers), 400
    )
    assert_problem(
        await client.post(f"{TAGS}/merge", json={"sources": [], "into": "x"}, headers=ann.headers),
        400,
    )
    assert await _counts(client, ann) == {"ok": 1}


async def test_the_tag_list_carries_a_weak_etag_that_answers_304_until_a_count_changes(
    client: Client,
) -> None:
    ann = await signup(client, "ann@example.com")
    await _create(client, ann, "https://example.com/a", ["python"])
    tag = (await client.get(TAGS, headers=ann.headers)).headers["etag"]

    same = await client.get(TAGS, headers={**ann.headers, "If-None-Match": tag})
    await _create(client, ann, "https://example.com/b", ["python"])
    changed = await client.get(TAGS, headers={**ann.headers, "If-None-Match": tag})

    assert (same.status_code, same.content) == (304, b"")
    assert changed.status_code == 200
    assert changed.headers["etag"] != tag
