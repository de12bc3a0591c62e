"""Bookmarks over HTTP: the round trip, duplicates, ETags, strangers, strict bodies (SPEC 3.2)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.e2e._http_kit import Client, Login, assert_problem, bearer, signup

BOOKMARKS = "/api/v1/bookmarks"


async def _create(client: Client, owner: Login, url: str, **fields: Any) -> dict[str, Any]:
    response = await client.post(BOOKMARKS, json={"url": url, **fields}, headers=owner.headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_create_get_patch_delete_round_trip(client: Client) -> None:
    ann = await signup(client, "ann@example.com")
    created = await client.post(
        BOOKMARKS,
        json={
            "url": "https://example.com/article",
            "title": "  An article ",
            "notes": "*read* later",
            "tags": ["Python", "web/dev"],
            "unread": True,
        },
        headers=ann.headers,
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert created.headers["location"] == f"{BOOKMARKS}/{body['id']}"
    assert created.headers["etag"] == f'"{body["id"]}-{body["version"]}"'
    assert body["title"] == "An article"
    assert body["tags"] == ["python", "web/dev"]
    assert body["canonical_url"] == "https://example.com/article"
    assert (body["unread"], body["archived"], body["favorite"]) == (True, False, False)

    read = await client.get(created.headers["location"], headers=ann.headers)
    assert read.status_code == 200
    assert read.json() == body
    assert read.headers["etag"] == created.headers["etag"]

    patched = await client.patch(
        f"{BOOKMARKS}/{body['id']}",
        json={"title": "Renamed", "unread": False, "tags": ["python"]},
        headers=ann.headers,
    )
    assert patched.status_code == 200, patched.text
    after = patched.json()
    assert (after["title"], after["unread"], after["tags"]) == ("Renamed", False, ["python"])
    assert after["notes"] == "*read* later"  # untouched: not sent
    assert after["version"] > body["version"]
    assert patched.headers["etag"] == f'"{body["id"]}-{after["version"]}"'

    deleted = await client.delete(f"{BOOKMARKS}/{body['id']}", headers=ann.headers)
    assert deleted.status_code == 204
    assert deleted.content == b""
    assert_problem(await client.get(f"{BOOKMARKS}/{body['id']}", headers=ann.headers), 404)


async def test_the_same_link_in_another_spelling_is_409_with_the_existing_id(
    client: Client,
) -> None:
    ann = await signup(client, "ann@example.com")
    first = await _create(client, ann, "http://example.com/a")
    again = await client.post(
        BOOKMARKS, json={"url": "HTTP://Example.com:80/a?utm_source=x#f"}, headers=ann.headers
    )
    assert_problem(again, 409, "duplicate_bookmark")
    assert again.json()["existing_id"] == first["id"]

    bob = await signup(client, "bob@example.com")
    assert (await _create(client, bob, "http://example.com/a"))["id"] != first["id"]


async def test_etag_if_none_match_and_if_match(client: Client) -> None:
    ann = await signup(client, "ann@example.com")
    created = await _create(client, ann, "https://example.com/etag")
    item = f"{BOOKMARKS}/{created['id']}"
    v1 = (await client.get(item, headers=ann.headers)).headers["etag"]

    for condition in (v1, f"W/{v1}", f'"other", {v1}', "*"):
        cached = await client.get(item, headers={**ann.headers, "If-None-Match": condition})
        assert cached.status_code == 304, condition
        assert cached.content == b""
        assert cached.headers["etag"] == v1

    edited = await client.patch(
        item, json={"title": "one"}, headers={**ann.headers, "If-Match": v1}
    )
    assert edited.status_code == 200, edited.text
    v2 = edited.headers["etag"]
    assert v2 != v1
    fresh = await client.get(item, headers={**ann.headers, "If-None-Match": v1})
    assert fresh.status_code == 200
    assert fresh.json()["title"] == "one"

    stale = await client.patch(
        item, json={"title": "lost"}, headers={**ann.headers, "If-Match": v1}
    )
    assert_problem(stale, 412, "precondition_failed")
    assert_problem(
        await client.delete(item, headers={**ann.headers, "If-Match": v1}),
        412,
        "precondition_failed",
    )
    assert (await client.get(item, headers=ann.headers)).json()["title"] == "one"

    current = await client.patch(
        item, json={"title": "two"}, headers={**ann.headers, "If-Match": v2}
    )
    assert current.status_code == 200
    v3 = current.headers["etag"]
    gone = await client.delete(item, headers={**ann.headers, "If-Match": v3})
    assert gone.status_code == 204


@pytest.mark.parametrize(
    "condition",
    ["garbage", '"unquoted', "W/{tag}", '"{other}-1"', '"{id}-x"', '"{id}-1", "{id}-2"'],
)
async def test_an_if_match_that_names_no_current_version_is_412(
    client: Client, condition: str
) -> None:
    ann = await signup(client, "ann@example.com")
    created = await _create(client, ann, "https://example.com/conditions")
    tag = f'"{created["id"]}-{created["version"]}"'
    header = condition.format(tag=tag, id=created["id"], other=uuid.uuid4())
    response = await client.patch(
        f"{BOOKMARKS}/{created['id']}",
        json={"title": "x"},
        headers={**ann.headers, "If-Match": header},
    )
    assert_problem(response, 412, "precondition_failed")
    star = await client.patch(
        f"{BOOKMARKS}/{created['id']}",
        json={"title": "x"},
        headers={**ann.headers, "If-Match": "*"},
    )
    assert star.status_code == 200


SERVER_OWNED: list[dict[str, Any]] = [
    {"id": str(uuid.uuid4())},
    {"owner_id": str(uuid.uuid4())},
    {"version": 7},
    {"created_at": "2020-01-01T00:00:00Z"},
    {"canonical_url": "https://evil.example/"},
    {"archive_status": "archived"},
]


@pytest.mark.parametrize("extra", SERVER_OWNED, ids=lambda extra: next(iter(extra)))
async def test_server_owned_fields_are_400_on_create_and_patch_S15_B9(
    client: Client, extra: dict[str, Any]
) -> None:
    ann = await signup(client, "ann@example.com")
    created = await client.post(
        BOOKMARKS, json={"url": "https://example.com/new", **extra}, headers=ann.headers
    )
    assert_problem(created, 400, "validation_error")
    assert next(iter(extra)) in created.json()["errors"][0]["message"]

    kept = await _create(client, ann, "https://example.com/kept")
    patched = await client.patch(
        f"{BOOKMARKS}/{kept['id']}", json={"title": "x", **extra}, headers=ann.headers
    )
    assert_problem(patched, 400, "validation_error")
    assert (await client.get(f"{BOOKMARKS}/{kept['id']}", headers=ann.headers)).json() == kept
    listed = await client.get(BOOKMARKS, headers=ann.headers)
    assert [b["url"] for b in listed.json()["items"]] == ["https://example.com/kept"]


async def test_a_stranger_gets_404_for_read_edit_and_delete_S13(client: Client) -> None:
    ann = await signup(client, "ann@example.com")
    mallory = await signup(client, "mallory@example.com")
    created = await _create(client, ann, "https://example.com/private", title="mine")
    item = f"{BOOKMARKS}/{created['id']}"
    unknown = f"{BOOKMARKS}/{uuid.uuid4()}"

    for path in (item, unknown):
        assert_problem(await client.get(path, headers=mallory.headers), 404, "not_found")
        patched = await client.patch(path, json={"title": "pwned"}, headers=mallory.headers)
        assert_problem(patched, 404, "not_found")
        assert_problem(await client.delete(path, headers=mallory.headers), 404, "not_found")
    forged = await client.patch(
        item,
        json={"title": "pwned"},
        headers={**mallory.headers, "If-Match": f'"{created["id"]}-{created["version"]}"'},
    )
    assert_problem(forged, 404, "not_found")

    assert (await client.get(item, headers=ann.headers)).json() == created
    checked = await client.get(
        f"{BOOKMARKS}/check", params={"url": created["url"]}, headers=mallory.headers
    )
    assert checked.json()["bookmark"] is None


async def test_a_read_only_token_can_list_but_not_write_S12(client: Client) -> None:
    ann = await signup(client, "ann@example.com")
    created = await _create(client, ann, "https://example.com/read-only")
    token = await client.post(
        "/api/v1/tokens", json={"name": "reader", "scopes": ["read"]}, headers=ann.headers
    )
    reader = bearer(token.json()["secret"])

    assert (await client.get(BOOKMARKS, headers=reader)).json()["items"][0]["id"] == created["id"]
    denied = await client.post(BOOKMARKS, json={"url": "https://example.com/x"}, headers=reader)
    assert_problem(denied, 403, "permission_denied")
    item = f"{BOOKMARKS}/{created['id']}"
    assert_problem(await client.patch(item, json={"title": "x"}, headers=reader), 403)
    assert_problem(await client.delete(item, headers=reader), 403)
    assert len((await client.get(BOOKMARKS, headers=ann.headers)).json()["items"]) == 1


async def test_check_url_finds_the_bookmark_under_any_spelling(client: Client) -> None:
    ann = await signup(client, "ann@example.com")
    created = await _create(client, ann, "https://example.com/path?b=2&a=1")

    found = await client.get(
        f"{BOOKMARKS}/check",
        params={"url": "HTTPS://EXAMPLE.com:443/path?a=1&b=2&utm_medium=mail#top"},
        headers=ann.headers,
    )
    assert found.status_code == 200, found.text
    assert found.json()["canonical_url"] == created["canonical_url"]
    assert found.json()["bookmark"]["id"] == created["id"]

    missing = await client.get(
        f"{BOOKMARKS}/check", params={"url": "https://example.com/other"}, headers=ann.headers
    )
    assert missing.json() == {"canonical_url": "https://example.com/other", "bookmark": None}

    for bad in ("javascript:alert(1)", "not a url", "ftp://example.com/"):
        invalid = await client.get(f"{BOOKMARKS}/check", params={"url": bad}, headers=ann.headers)
        assert_problem(invalid, 422)
    assert_problem(await client.get(f"{BOOKMARKS}/check", headers=ann.headers), 400)


async def test_bad_bodies_are_refused(client: Client) -> None:
    ann = await signup(client, "ann@example.com")
    for body in (
        {"url": "javascript:alert(1)"},
        {"url": "https://example.com/", "tags": ["has space"]},
    ):
        assert_problem(await client.post(BOOKMARKS, json=body, headers=ann.headers), 422)
    malformed: list[dict[str, Any]] = [
        {},
        {"url": ""},
        {"url": "https://e.com/" + "a" * 2048},
        {"url": 1},
    ]
    for bad in malformed:
        assert_problem(await client.post(BOOKMARKS, json=bad, headers=ann.headers), 400)
    as_form = await client.post(
        BOOKMARKS, data={"url": "https://example.com/"}, headers=ann.headers
    )
    assert_problem(as_form, 415, "unsupported_media_type")
    listed = await client.get(BOOKMARKS, headers=ann.headers)
    assert listed.json()["items"] == []
