"""The linkding-compatible API (SPEC 4.1) as linkding's documented clients speak it:
`Authorization: Token <api token>`, trailing slashes, `{count, next, previous, results}`."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.e2e._http_kit import Client, Login, assert_problem, signup

API = "/api"
BOOKMARK_FIELDS = {
    "id", "url", "title", "description", "notes", "web_archive_snapshot_url", "favicon_url",
    "preview_image_url", "is_archived", "unread", "shared", "tag_names", "date_added",
    "date_modified", "website_title", "website_description",
}  # fmt: skip


async def _token(client: Client, who: Login, *scopes: str) -> dict[str, str]:
    response = await client.post(
        "/api/v1/tokens",
        json={"name": "linkding client", "scopes": list(scopes or ("read", "write"))},
        headers=who.headers,
    )
    assert response.status_code == 201, response.text
    return {"Authorization": f"Token {response.json()['secret']}"}


async def _linkding_user(client: Client, address: str = "ann@example.com") -> dict[str, str]:
    return await _token(client, await signup(client, address))


async def _save(client: Client, token: dict[str, str], url: str, **fields: Any) -> dict[str, Any]:
    response = await client.post(f"{API}/bookmarks/", json={"url": url, **fields}, headers=token)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _local(link: str) -> str:
    """A `next`/`previous` link as the in-process client requests it."""
    parts = urlsplit(link)
    return f"{parts.path}?{parts.query}"


def _offset_of(link: str | None) -> int | None:
    if link is None:
        return None
    return int(parse_qs(urlsplit(link).query).get("offset", ["0"])[0])


async def test_create_then_get_with_linkdings_field_names(client: Client) -> None:
    token = await _linkding_user(client)
    created = await _save(
        client,
        token,
        "https://example.com/article?utm_source=x",
        title="Example title",
        description="Example description",
        notes="Example notes",
        is_archived=False,
        unread=True,
        shared=False,
        tag_names=["tag1", "tag2"],
    )
    assert set(created) == BOOKMARK_FIELDS
    assert created["url"] == "https://example.com/article?utm_source=x"
    assert (created["title"], created["notes"], created["tag_names"]) == (
        "Example title",
        "Example notes",
        ["tag1", "tag2"],
    )
    assert (created["unread"], created["is_archived"], created["shared"]) == (True, False, False)
    assert created["favicon_url"] is None
    assert created["preview_image_url"] is None
    assert created["web_archive_snapshot_url"].startswith("https://web.archive.org/web/")
    assert created["date_added"].endswith("Z")
    assert uuid.UUID(created["id"])  # our ids are UUID strings; clients treat them as opaque

    read = await client.get(f"{API}/bookmarks/{created['id']}/", headers=token)
    assert read.status_code == 200
    assert read.json() == created


async def test_post_with_a_saved_url_updates_that_bookmark_like_linkding(client: Client) -> None:
    token = await _linkding_user(client)
    first = await _save(client, token, "https://example.com/a", title="First", tag_names=["a"])
    again = await _save(client, token, "https://EXAMPLE.com/a#frag", title="Second", unread=True)
    assert again["id"] == first["id"]
    assert (again["title"], again["unread"]) == ("Second", True)
    assert again["tag_names"] == ["a"]  # not sent: kept
    listed = await client.get(f"{API}/bookmarks/", headers=token)
    assert listed.json()["count"] == 1


async def test_unread_filters_and_linkdings_legacy_unread_term(client: Client) -> None:
    token = await _linkding_user(client)
    await _save(client, token, "https://example.com/read", title="off")
    await _save(client, token, "https://example.com/later", title="off", unread=True)
    counts = {}
    for params in ({"unread": "yes"}, {"unread": "no"}, {"q": "!unread"}, {"unread": "off"}):
        response = await client.get(f"{API}/bookmarks/", params=params, headers=token)
        counts[str(params)] = response.json()["count"]
    assert list(counts.values()) == [1, 1, 1, 2]
    paged = await client.get(f"{API}/bookmarks/", params={"q": "off", "limit": 1}, headers=token)
    assert parse_qs(urlsplit(paged.json()["next"]).query) == {
        "q": ["off"], "limit": ["1"], "offset": ["1"],
    }  # fmt: skip


async def test_list_searches_with_q_and_pages_by_limit_and_offset(client: Client) -> None:
    token = await _linkding_user(client)
    for n in range(5):
        tags = ["python"] if n % 2 == 0 else ["rust"]
        await _save(client, token, f"https://example.com/{n}", title=f"Guide {n}", tag_names=tags)
    await _save(client, token, "https://example.com/other", title="Other", tag_names=["python"])

    everything = await client.get(f"{API}/bookmarks/", headers=token)
    assert everything.status_code == 200, everything.text
    body = everything.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert (body["count"], body["next"], body["previous"]) == (6, None, None)
    assert body["results"][0]["title"] == "Other"  # newest first, linkding's default

    params = {"q": "#python guide", "limit": 2}
    first = await client.get(f"{API}/bookmarks/", params=params, headers=token)
    page = first.json()
    assert page["count"] == 3
    assert [b["title"] for b in page["results"]] == ["Guide 4", "Guide 2"]
    assert page["previous"] is None
    assert page["next"].startswith("http")
    assert _offset_of(page["next"]) == 2
    assert parse_qs(urlsplit(page["next"]).query)["q"] == ["#python guide"]

    second = await client.get(_local(page["next"]), headers=token)
    assert second.status_code == 200, second.text
    tail = second.json()
    assert [b["title"] for b in tail["results"]] == ["Guide 0"]
    assert tail["next"] is None
    assert _offset_of(tail["previous"]) == 0
    assert "offset" not in tail["previous"]

    beyond = await client.get(f"{API}/bookmarks/?limit=2&offset=50", headers=token)
    assert beyond.json()["results"] == []
    assert beyond.json()["count"] == 6
    oldest = await client.get(f"{API}/bookmarks/?sort=added_asc&limit=1", headers=token)
    assert oldest.json()["results"][0]["title"] == "Guide 0"
    for bad in ("limit=0", "limit=1001", "offset=-1", "offset=10001"):
        assert_problem(await client.get(f"{API}/bookmarks/?{bad}", headers=token), 400)


async def test_offsets_reach_past_one_page_of_our_keyset_search(client: Client) -> None:
    token = await _linkding_user(client)
    for n in range(103):
        await _save(client, token, f"https://example.com/{n}", title=f"n{n:03d}")
    big = await client.get(f"{API}/bookmarks/?limit=102", headers=token)
    assert big.json()["count"] == 103
    assert len(big.json()["results"]) == 102
    assert _offset_of(big.json()["next"]) == 102
    deep = await client.get(f"{API}/bookmarks/?limit=2&offset=101", headers=token)
    assert [b["title"] for b in deep.json()["results"]] == ["n001", "n000"]
    assert deep.json()["next"] is None


async def test_put_patch_archive_unarchive_and_delete(client: Client) -> None:
    token = await _linkding_user(client)
    saved = await _save(client, token, "https://example.com/a", title="A", tag_names=["x"])
    path = f"{API}/bookmarks/{saved['id']}/"

    put = await client.put(path, json={"url": "https://example.com/b", "title": "B"}, headers=token)
    assert put.status_code == 200, put.text
    assert (put.json()["url"], put.json()["title"], put.json()["tag_names"]) == (
        "https://example.com/b",
        "B",
        ["x"],
    )
    assert_problem(await client.put(path, json={"title": "no url"}, headers=token), 400)
    patched = await client.patch(
        path, json={"tag_names": ["y", "z"], "unread": True}, headers=token
    )
    assert patched.status_code == 200, patched.text
    assert (patched.json()["tag_names"], patched.json()["unread"]) == (["y", "z"], True)
    assert patched.json()["title"] == "B"

    archived = await client.post(f"{path}archive/", headers=token)
    assert archived.status_code == 204
    assert (await client.get(path, headers=token)).json()["is_archived"] is True
    active = await client.get(f"{API}/bookmarks/", headers=token)
    assert active.json()["count"] == 0
    in_archive = await client.get(f"{API}/bookmarks/archived/", headers=token)
    assert [b["id"] for b in in_archive.json()["results"]] == [saved["id"]]
    unarchived = await client.post(f"{path}unarchive/", headers=token)
    assert unarchived.status_code == 204
    assert (await client.get(f"{API}/bookmarks/", headers=token)).json()["count"] == 1
    assert (await client.get(f"{API}/bookmarks/archived/", headers=token)).json()["count"] == 0

    straight_to_archive = await _save(client, token, "https://example.com/c", is_archived=True)
    assert straight_to_archive["is_archived"] is True

    deleted = await client.delete(path, headers=token)
    assert deleted.status_code == 204
    assert_problem(await client.get(path, headers=token), 404)


async def test_check_tells_whether_a_url_is_saved(client: Client) -> None:
    token = await _linkding_user(client)
    saved = await _save(client, token, "https://example.com/a", title="A")

    tracked = "https://example.com/a?utm_medium=x"
    known = await client.get(f"{API}/bookmarks/check/", params={"url": tracked}, headers=token)
    assert known.status_code == 200, known.text
    assert set(known.json()) == {"bookmark", "metadata", "auto_tags"}
    assert known.json()["bookmark"]["id"] == saved["id"]
    assert known.json()["metadata"]["url"] == tracked
    assert known.json()["auto_tags"] == []

    unknown = await client.get(
        f"{API}/bookmarks/check/", params={"url": "https://example.org/"}, headers=token
    )
    assert unknown.json()["bookmark"] is None
    assert set(unknown.json()["metadata"]) == {"url", "title", "description", "preview_image"}


async def test_tags_list_get_and_create(client: Client) -> None:
    token = await _linkding_user(client)
    await _save(client, token, "https://example.com/a", tag_names=["alpha", "beta"])
    await _save(client, token, "https://example.com/b", tag_names=["beta", "gamma"])

    listed = await client.get(f"{API}/tags/", headers=token)
    assert listed.status_code == 200
    body = listed.json()
    assert (body["count"], body["next"], body["previous"]) == (3, None, None)
    assert {t["name"] for t in body["results"]} == {"alpha", "beta", "gamma"}
    assert set(body["results"][0]) == {"id", "name", "date_added"}

    paged = await client.get(f"{API}/tags/?limit=2&offset=1", headers=token)
    assert len(paged.json()["results"]) == 2
    assert paged.json()["next"] is None
    assert paged.json()["previous"] is not None

    beta = next(t for t in body["results"] if t["name"] == "beta")
    one = await client.get(f"{API}/tags/{beta['id']}/", headers=token)
    assert one.json() == beta
    assert_problem(await client.get(f"{API}/tags/{uuid.uuid4()}/", headers=token), 404)

    created = await client.post(f"{API}/tags/", json={"name": "New"}, headers=token)
    assert created.status_code == 201, created.text
    assert created.json()["name"] == "new"
    assert_problem(
        await client.post(f"{API}/tags/", json={"name": "two words"}, headers=token), 422
    )


async def test_profile_answers_linkdings_preferences(client: Client) -> None:
    token = await _linkding_user(client)
    profile = await client.get(f"{API}/user/profile/", headers=token)
    assert profile.status_code == 200
    body = profile.json()
    assert {
        "theme", "bookmark_date_display", "bookmark_link_target", "web_archive_integration",
        "tag_search", "enable_sharing", "enable_public_sharing", "enable_favicons",
        "display_url", "permanent_notes", "search_preferences", "version",
    } == set(body)  # fmt: skip
    assert body["search_preferences"]["sort"] == "added_desc"


async def test_shared_lists_bookmarks_of_collections_the_caller_is_a_member_of(
    client: Client,
) -> None:
    ann = await signup(client, "ann@example.com")
    bob = await signup(client, "bob@example.com")
    collection = await client.post(
        "/api/v1/collections", json={"name": "Team"}, headers=ann.headers
    )
    cid = collection.json()["id"]
    await client.put(
        f"/api/v1/collections/{cid}/members",
        json={"email": bob.email, "role": "viewer"},
        headers=ann.headers,
    )
    in_it = await client.post(
        "/api/v1/bookmarks",
        json={"url": "https://example.com/team", "collection_id": cid},
        headers=ann.headers,
    )
    assert in_it.status_code == 201, in_it.text
    ann_token, bob_token = await _token(client, ann), await _token(client, bob)
    await _save(client, ann_token, "https://example.com/private")

    shared = await client.get(f"{API}/bookmarks/shared/", headers=bob_token)
    assert shared.status_code == 200, shared.text
    assert [b["id"] for b in shared.json()["results"]] == [in_it.json()["id"]]
    assert shared.json()["results"][0]["shared"] is True
    own = await client.get(f"{API}/bookmarks/", headers=ann_token)
    assert {b["shared"] for b in own.json()["results"]} == {True, False}
    assert (await client.get(f"{API}/bookmarks/", headers=bob_token)).json()["count"] == 0


async def test_tokens_decide_what_a_client_may_do_S12_S14(client: Client) -> None:
    ann = await signup(client, "ann@example.com")
    writer = await _token(client, ann, "read", "write")
    reader = await _token(client, ann, "read")
    saved = await _save(client, writer, "https://example.com/a")

    assert (await client.get(f"{API}/bookmarks/", headers=reader)).status_code == 200
    denied = await client.post(
        f"{API}/bookmarks/", json={"url": "https://example.com/b"}, headers=reader
    )
    assert_problem(denied, 403)
    assert_problem(await client.delete(f"{API}/bookmarks/{saved['id']}/", headers=reader), 403)
    assert_problem(await client.post(f"{API}/tags/", json={"name": "t"}, headers=reader), 403)

    for method, path in (
        ("GET", f"{API}/bookmarks/"),
        ("POST", f"{API}/bookmarks/"),
        ("GET", f"{API}/tags/"),
        ("GET", f"{API}/user/profile/"),
        ("GET", f"{API}/bookmarks/{saved['id']}/"),
    ):
        response = await client.request(method, path, json={"url": "https://example.com/c"})
        assert_problem(response, 401, "authentication_failed")
        wrong = await client.request(method, path, headers={"Authorization": "Token pat_nope"})
        assert_problem(wrong, 401)


async def test_linkding_bodies_are_strict_S15(client: Client) -> None:
    token = await _linkding_user(client)
    saved = await _save(client, token, "https://example.com/a")
    for extra in ({"id": 7}, {"date_added": "2020-01-01T00:00:00Z"}, {"owner": 1}):
        create = await client.post(
            f"{API}/bookmarks/", json={"url": "https://example.com/b", **extra}, headers=token
        )
        assert_problem(create, 400, "validation_error")
        patch = await client.patch(f"{API}/bookmarks/{saved['id']}/", json=extra, headers=token)
        assert_problem(patch, 400, "validation_error")
    assert (await client.get(f"{API}/bookmarks/", headers=token)).json()["count"] == 1
