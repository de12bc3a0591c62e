"""Listing, searching and bulk-editing bookmarks over HTTP (SPEC 3.2, 3.5)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.e2e._http_kit import Client, Login, assert_problem, signup

BOOKMARKS = "/api/v1/bookmarks"
BULK = f"{BOOKMARKS}/bulk"


async def _create(client: Client, owner: Login, url: str, **fields: Any) -> dict[str, Any]:
    response = await client.post(BOOKMARKS, json={"url": url, **fields}, headers=owner.headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def _list(client: Client, owner: Login, **params: Any) -> dict[str, Any]:
    response = await client.get(BOOKMARKS, params=params, headers=owner.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def _urls(client: Client, owner: Login, q: str) -> set[str]:
    return {b["url"] for b in (await _list(client, owner, q=q, limit=100))["items"]}


async def test_paging_with_the_cursor_walks_every_bookmark_once(client: Client) -> None:
    ann = await signup(client, "ann@example.com")
    bob = await signup(client, "bob@example.com")
    await _create(client, bob, "https://example.com/bob")
    made = [(await _create(client, ann, f"https://example.com/{i}"))["id"] for i in range(7)]

    for sort, expected in (("newest", made[::-1]), ("oldest", made)):
        seen: list[str] = []
        cursor: str | None = None
        pages = 0
        while True:
            params: dict[str, Any] = {"limit": 3, "sort": sort, "total": True}
            if cursor is not None:
                params["cursor"] = cursor
            page = await _list(client, ann, **params)
            pages += 1
            assert page["total"] == 7
            seen += [b["id"] for b in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert seen == expected, sort
        assert pages == 3

    first = await _list(client, ann)
    assert len(first["items"]) == 7
    assert first["total"] is None
    assert first["next_cursor"] is None


async def test_title_sort_pages_too(client: Client) -> None:
    ann = await signup(client, "ann@example.com")
    for title in ("delta", "alpha", "charlie", "bravo"):
        await _create(client, ann, f"https://example.com/{title}", title=title)
    page = await _list(client, ann, sort="title", limit=3)
    rest = await _list(client, ann, sort="title", limit=3, cursor=page["next_cursor"])
    titles = [b["title"] for b in page["items"] + rest["items"]]
    assert titles == ["alpha", "bravo", "charlie", "delta"]


@pytest.mark.parametrize(
    "params",
    [
        {"cursor": "not-a-cursor"},
        {"cursor": "eyJ4IjoxfQ"},
        {"limit": 0},
        {"limit": 101},
        {"sort": "random"},
        {"q": "x" * 1001},
        {"collection_id": "nope"},
    ],
)
async def test_bad_listing_parameters_are_problems(client: Client, params: dict[str, Any]) -> None:
    ann = await signup(client, "ann@example.com")
    response = await client.get(BOOKMARKS, params=params, headers=ann.headers)
    assert response.status_code in (400, 422), response.text
    assert_problem(response, response.status_code)


async def test_a_cursor_of_another_sort_is_422(client: Client) -> None:
    ann = await signup(client, "ann@example.com")
    for i in range(3):
        await _create(client, ann, f"https://example.com/{i}")
    cursor = (await _list(client, ann, limit=1))["next_cursor"]
    response = await client.get(
        BOOKMARKS, params={"cursor": cursor, "sort": "title"}, headers=ann.headers
    )
    assert_problem(response, 422)


async def test_search_words_tags_and_flags(client: Client) -> None:
    ann = await signup(client, "ann@example.com")
    bob = await signup(client, "bob@example.com")
    await _create(
        client,
        ann,
        "https://python.example/asyncio",
        title="Asyncio in depth",
        tags=["python"],
        unread=True,
    )
    await _create(
        client, ann, "https://rust.example/tokio", title="Tokio runtime", tags=["rust", "async"]
    )
    await _create(
        client,
        ann,
        "https://docs.example/typing",
        title="Python typing",
        description="static types for python",
        tags=["python"],
    )
    await _create(client, bob, "https://bob.example/python", title="Python by bob", unread=True)

    assert await _urls(client, ann, "python typing") == {"https://docs.example/typing"}
    assert await _urls(client, ann, "#python") == {
        "https://python.example/asyncio",
        "https://docs.example/typing",
    }
    assert await _urls(client, ann, "is:unread") == {"https://python.example/asyncio"}
    assert await _urls(client, ann, "#python -is:unread") == {"https://docs.example/typing"}
    assert await _urls(client, ann, "-#python") == {"https://rust.example/tokio"}
    assert await _urls(client, ann, "site:rust.example") == {"https://rust.example/tokio"}
    assert await _urls(client, ann, "nothing-matches-this") == set()
    relevant = await _list(client, ann, q="python", sort="relevance")
    assert {b["url"] for b in relevant["items"]} == {
        "https://python.example/asyncio",
        "https://docs.example/typing",
    }


@pytest.mark.parametrize("q", ['"unclosed', "#", "-", "is:", "before:2020-13-45", "%_\\'; --"])
async def test_any_query_string_answers(client: Client, q: str) -> None:
    ann = await signup(client, "ann@example.com")
    await _create(client, ann, "https://example.com/", title="x")
    response = await client.get(BOOKMARKS, params={"q": q}, headers=ann.headers)
    assert response.status_code == 200, response.text


async def test_bulk_tag_mark_and_delete_leave_other_users_bookmarks_alone(
    client: Client,
) -> None:
    ann = await signup(client, "ann@example.com")
    bob = await signup(client, "bob@example.com")
    one = await _create(client, ann, "https://example.com/1", unread=True)
    two = await _create(client, ann, "https://example.com/2", tags=["keep"])
    bobs = await _create(client, bob, "https://example.com/bob", unread=True)
    unknown = str(uuid.uuid4())
    ids = [one["id"], two["id"], bobs["id"], unknown]

    tagged = await client.post(
        BULK, json={"ids": ids, "action": "tag", "tags": ["Later"]}, headers=ann.headers
    )
    assert tagged.status_code == 200, tagged.text
    assert tagged.json() == {"changed": 2, "unchanged": 0, "not_found": [bobs["id"], unknown]}

    read = await client.post(BULK, json={"ids": ids, "action": "mark_read"}, headers=ann.headers)
    assert read.json() == {"changed": 1, "unchanged": 1, "not_found": [bobs["id"], unknown]}

    mine = {b["id"]: b for b in (await _list(client, ann))["items"]}
    assert mine[one["id"]]["tags"] == ["later"]
    assert mine[two["id"]]["tags"] == ["keep", "later"]
    assert not mine[one["id"]]["unread"]

    removed = await client.post(BULK, json={"ids": ids, "action": "delete"}, headers=ann.headers)
    assert removed.json() == {"changed": 2, "unchanged": 0, "not_found": [bobs["id"], unknown]}
    assert (await _list(client, ann))["items"] == []

    untouched = await client.get(f"{BOOKMARKS}/{bobs['id']}", headers=bob.headers)
    assert untouched.json() == bobs


@pytest.mark.parametrize(
    "body",
    [
        {"ids": [], "action": "delete"},
        {"ids": [str(uuid.uuid4())] * 501, "action": "delete"},
        {"ids": [str(uuid.uuid4())], "action": "explode"},
        {"ids": ["nope"], "action": "delete"},
        {"ids": [str(uuid.uuid4())], "action": "delete", "owner_id": str(uuid.uuid4())},
    ],
)
async def test_bad_bulk_bodies_are_400(client: Client, body: dict[str, Any]) -> None:
    ann = await signup(client, "ann@example.com")
    assert_problem(await client.post(BULK, json=body, headers=ann.headers), 400)


async def test_bulk_tag_without_tags_is_422(client: Client) -> None:
    ann = await signup(client, "ann@example.com")
    one = await _create(client, ann, "https://example.com/1")
    response = await client.post(
        BULK, json={"ids": [one["id"]], "action": "tag"}, headers=ann.headers
    )
    assert_problem(response, 422)


async def test_a_page_carries_a_weak_etag_that_answers_304_until_the_page_changes(
    client: Client,
) -> None:
    ann = await signup(client, "ann@example.com")
    first = await _create(client, ann, "https://example.com/one")
    listed = await client.get(BOOKMARKS, headers=ann.headers)
    tag = listed.headers["etag"]
    assert tag.startswith('W/"')

    same = await client.get(BOOKMARKS, headers={**ann.headers, "If-None-Match": tag})
    other_query = await client.get(
        BOOKMARKS, params={"q": "absent"}, headers={**ann.headers, "If-None-Match": tag}
    )
    edited = await client.patch(
        f"{BOOKMARKS}/{first['id']}", json={"title": "new"}, headers=ann.headers
    )
    assert edited.status_code == 200, edited.text
    after_edit = await client.get(BOOKMARKS, headers={**ann.headers, "If-None-Match": tag})

    assert (same.status_code, same.content, same.headers["etag"]) == (304, b"", tag)
    assert other_query.status_code == 200  # another page, another tag
    assert after_edit.status_code == 200
    assert after_edit.headers["etag"] != tag
    bob = await signup(client, "bob@example.com")
    strangers = await client.get(BOOKMARKS, headers={**bob.headers, "If-None-Match": tag})
    assert strangers.status_code == 200
