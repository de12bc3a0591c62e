"""Collections over HTTP: roles, strangers, leaving, and the public link (SPEC 3.4, S13)."""

from __future__ import annotations

import uuid
from typing import Any

from tests.e2e._http_kit import Client, Login, assert_problem, signup

COLLECTIONS = "/api/v1/collections"
BOOKMARKS = "/api/v1/bookmarks"
PUBLIC = "/api/v1/public/collections"


async def _collection(client: Client, owner: Login, name: str = "Reading") -> dict[str, Any]:
    response = await client.post(
        COLLECTIONS, json={"name": name, "description": "Long reads"}, headers=owner.headers
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def _bookmark(client: Client, who: Login, url: str, **fields: Any) -> dict[str, Any]:
    response = await client.post(BOOKMARKS, json={"url": url, **fields}, headers=who.headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def _share(client: Client, owner: Login, cid: str, member: Login, role: str) -> None:
    response = await client.put(
        f"{COLLECTIONS}/{cid}/members",
        json={"email": member.email, "role": role},
        headers=owner.headers,
    )
    assert response.status_code == 200, response.text
    assert response.json()["role"] == role
    assert response.json()["user_id"] == member.user_id


async def _setup(client: Client, role: str) -> tuple[Login, Login, str, dict[str, Any]]:
    """Ann owns a collection holding one bookmark and shares it with Bob as `role`."""
    ann = await signup(client, "ann@example.com")
    bob = await signup(client, "bob@example.com")
    collection = await _collection(client, ann)
    cid = collection["id"]
    bookmark = await _bookmark(
        client, ann, "https://example.com/a", title="Alpha", notes="ann's", collection_id=cid
    )
    await _share(client, ann, cid, bob, role)
    return ann, bob, cid, bookmark


async def test_owner_creates_reads_renames_and_deletes_a_collection(client: Client) -> None:
    ann = await signup(client, "ann@example.com")
    created = await _collection(client, ann)
    assert created["role"] == "owner"
    assert (created["name"], created["description"]) == ("Reading", "Long reads")
    assert (created["is_public"], created["public_url"]) == (False, None)
    cid = created["id"]

    renamed = await client.patch(
        f"{COLLECTIONS}/{cid}", json={"name": "  Deep   reads "}, headers=ann.headers
    )
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["name"] == "Deep reads"
    assert renamed.json()["description"] == "Long reads"  # not sent, kept

    listed = await client.get(COLLECTIONS, headers=ann.headers)
    assert [c["name"] for c in listed.json()["items"]] == ["Deep reads"]

    deleted = await client.delete(f"{COLLECTIONS}/{cid}", headers=ann.headers)
    assert deleted.status_code == 204
    assert_problem(await client.get(f"{COLLECTIONS}/{cid}", headers=ann.headers), 404)


async def test_collection_bodies_are_strict_and_bounded_S15_S16(client: Client) -> None:
    ann = await signup(client, "ann@example.com")
    cid = (await _collection(client, ann))["id"]
    for body in ({"name": "x", "owner_id": str(uuid.uuid4())}, {"name": ""}, {"name": "x" * 101}):
        assert_problem(await client.post(COLLECTIONS, json=body, headers=ann.headers), 400)
    for body in ({"public_slug": "mine"}, {"id": str(uuid.uuid4())}, {"name": None}):
        response = await client.patch(f"{COLLECTIONS}/{cid}", json=body, headers=ann.headers)
        assert_problem(response, 400, "validation_error")
    bad_role = {"email": "bob@example.com", "role": "owner"}
    response = await client.put(f"{COLLECTIONS}/{cid}/members", json=bad_role, headers=ann.headers)
    assert_problem(response, 400, "validation_error")


async def test_viewer_reads_the_bookmarks_but_changes_nothing(client: Client) -> None:
    ann, bob, cid, bookmark = await _setup(client, "viewer")

    seen = await client.get(f"{COLLECTIONS}/{cid}", headers=bob.headers)
    assert seen.status_code == 200
    assert seen.json()["role"] == "viewer"
    listed = await client.get(f"{COLLECTIONS}/{cid}/bookmarks", headers=bob.headers)
    assert listed.status_code == 200, listed.text
    assert [b["id"] for b in listed.json()["items"]] == [bookmark["id"]]
    one = await client.get(f"{BOOKMARKS}/{bookmark['id']}", headers=bob.headers)
    assert one.status_code == 200
    members = await client.get(f"{COLLECTIONS}/{cid}/members", headers=bob.headers)
    assert [m["email"] for m in members.json()["items"]] == ["bob@example.com"]

    edit = await client.patch(
        f"{BOOKMARKS}/{bookmark['id']}", json={"title": "Mine now"}, headers=bob.headers
    )
    assert_problem(edit, 403, "permission_denied")
    add = await client.post(
        BOOKMARKS, json={"url": "https://example.com/b", "collection_id": cid}, headers=bob.headers
    )
    assert add.status_code in (403, 422), add.text
    assert_problem(await client.delete(f"{BOOKMARKS}/{bookmark['id']}", headers=bob.headers), 403)
    assert_problem(
        await client.patch(f"{COLLECTIONS}/{cid}", json={"name": "x"}, headers=bob.headers), 403
    )
    assert_problem(await client.post(f"{COLLECTIONS}/{cid}/public-link", headers=bob.headers), 403)
    assert_problem(await client.delete(f"{COLLECTIONS}/{cid}", headers=bob.headers), 403)

    after = await client.get(f"{BOOKMARKS}/{bookmark['id']}", headers=ann.headers)
    assert after.json()["title"] == "Alpha"
    listed = await client.get(f"{COLLECTIONS}/{cid}/bookmarks", headers=ann.headers)
    assert len(listed.json()["items"]) == 1


async def test_editor_adds_and_edits_bookmarks_but_only_the_owner_manages(client: Client) -> None:
    ann, bob, cid, bookmark = await _setup(client, "editor")
    carol = await signup(client, "carol@example.com")

    edited = await client.patch(
        f"{BOOKMARKS}/{bookmark['id']}", json={"title": "Alpha, edited"}, headers=bob.headers
    )
    assert edited.status_code == 200, edited.text
    added = await _bookmark(client, bob, "https://example.com/b", collection_id=cid)
    listed = await client.get(f"{COLLECTIONS}/{cid}/bookmarks", headers=ann.headers)
    assert {b["id"] for b in listed.json()["items"]} == {bookmark["id"], added["id"]}

    share = {"email": carol.email, "role": "viewer"}
    response = await client.put(f"{COLLECTIONS}/{cid}/members", json=share, headers=bob.headers)
    assert_problem(response, 403)
    assert_problem(await client.delete(f"{COLLECTIONS}/{cid}", headers=bob.headers), 403)
    remove_ann = await client.delete(
        f"{COLLECTIONS}/{cid}/members/{ann.user_id}", headers=bob.headers
    )
    assert remove_ann.status_code in (403, 404)

    demoted = await client.put(
        f"{COLLECTIONS}/{cid}/members",
        json={"email": bob.email, "role": "viewer"},
        headers=ann.headers,
    )
    assert demoted.json()["role"] == "viewer"
    again = await client.patch(
        f"{BOOKMARKS}/{bookmark['id']}", json={"title": "No"}, headers=bob.headers
    )
    assert_problem(again, 403)


async def test_a_stranger_gets_404_on_everything_of_the_collection_S13(client: Client) -> None:
    ann, _, cid, bookmark = await _setup(client, "editor")
    eve = await signup(client, "eve@example.com")
    h = eve.headers
    base = f"{COLLECTIONS}/{cid}"
    for response in (
        await client.get(base, headers=h),
        await client.patch(base, json={"name": "Eve's"}, headers=h),
        await client.delete(base, headers=h),
        await client.get(f"{base}/bookmarks", headers=h),
        await client.get(f"{base}/members", headers=h),
        await client.put(f"{base}/members", json={"email": eve.email, "role": "editor"}, headers=h),
        await client.delete(f"{base}/members/{ann.user_id}", headers=h),
        await client.post(f"{base}/public-link", headers=h),
        await client.delete(f"{base}/public-link", headers=h),
        await client.get(f"{BOOKMARKS}/{bookmark['id']}", headers=h),
        await client.patch(f"{BOOKMARKS}/{bookmark['id']}", json={"title": "x"}, headers=h),
        await client.get(f"{COLLECTIONS}/{uuid.uuid4()}", headers=h),
    ):
        assert_problem(response, 404, "not_found")
    assert (await client.get(COLLECTIONS, headers=h)).json()["items"] == []
    add = await client.post(
        BOOKMARKS, json={"url": "https://example.com/x", "collection_id": cid}, headers=h
    )
    assert add.status_code in (404, 422), add.text


async def test_the_list_shows_owned_and_shared_collections_with_roles(client: Client) -> None:
    ann, bob, cid, _ = await _setup(client, "viewer")
    await client.post(f"{COLLECTIONS}/{cid}/public-link", headers=ann.headers)
    own = await _collection(client, bob, "Bob's own")

    listed = await client.get(COLLECTIONS, headers=bob.headers)
    roles = {c["id"]: (c["role"], c["is_public"], c["public_url"]) for c in listed.json()["items"]}
    assert roles == {cid: ("viewer", True, None), own["id"]: ("owner", False, None)}
    mine = await client.get(f"{COLLECTIONS}/{cid}", headers=ann.headers)
    assert f"{PUBLIC}/" in mine.json()["public_url"]


async def test_a_member_can_leave_and_the_owner_can_remove_members(client: Client) -> None:
    ann, bob, cid, _ = await _setup(client, "viewer")
    carol = await signup(client, "carol@example.com")
    await _share(client, ann, cid, carol, "editor")

    left = await client.delete(f"{COLLECTIONS}/{cid}/members/{bob.user_id}", headers=bob.headers)
    assert left.status_code == 204
    assert_problem(await client.get(f"{COLLECTIONS}/{cid}", headers=bob.headers), 404)

    removed = await client.delete(
        f"{COLLECTIONS}/{cid}/members/{carol.user_id}", headers=ann.headers
    )
    assert removed.status_code == 204
    assert_problem(await client.get(f"{COLLECTIONS}/{cid}/bookmarks", headers=carol.headers), 404)
    members = await client.get(f"{COLLECTIONS}/{cid}/members", headers=ann.headers)
    assert members.json()["items"] == []
    gone = await client.delete(f"{COLLECTIONS}/{cid}/members/{carol.user_id}", headers=ann.headers)
    assert_problem(gone, 404)


async def test_sharing_needs_an_existing_account_and_not_the_owner(client: Client) -> None:
    ann = await signup(client, "ann@example.com")
    cid = (await _collection(client, ann))["id"]
    nobody = {"email": "nobody@example.com", "role": "viewer"}
    response = await client.put(f"{COLLECTIONS}/{cid}/members", json=nobody, headers=ann.headers)
    assert_problem(response, 422)
    herself = {"email": ann.email, "role": "editor"}
    response = await client.put(f"{COLLECTIONS}/{cid}/members", json=herself, headers=ann.headers)
    assert_problem(response, 409)


async def test_the_public_link_reads_anonymously_until_revoked(client: Client) -> None:
    ann = await signup(client, "ann@example.com")
    cid = (await _collection(client, ann))["id"]
    secret = {"notes": "secret", "tags": ["x"]}
    await _bookmark(
        client, ann, "https://example.com/a", title="Alpha", collection_id=cid, **secret
    )
    await _bookmark(client, ann, "https://example.com/b", title="Beta", collection_id=cid)
    await _bookmark(client, ann, "https://example.com/private", title="Not in it")

    link = await client.post(f"{COLLECTIONS}/{cid}/public-link", headers=ann.headers)
    assert link.status_code == 201, link.text
    slug, url = link.json()["slug"], link.json()["url"]
    assert url.endswith(f"{PUBLIC}/{slug}")

    page = await client.get(f"{PUBLIC}/{slug}")
    assert page.status_code == 200, page.text
    body = page.json()
    assert body["collection"] == {"name": "Reading", "description": "Long reads"}
    items = body["bookmarks"]["items"]
    assert sorted(b["title"] for b in items) == ["Alpha", "Beta"]
    assert set(items[0]) == {"url", "title", "description", "site_name", "tags", "created_at"}
    assert "secret" not in page.text
    assert ann.user_id not in page.text
    assert ann.email not in page.text
    assert cid not in page.text
    found = await client.get(f"{PUBLIC}/{slug}", params={"q": "#x"})
    assert [b["title"] for b in found.json()["bookmarks"]["items"]] == ["Alpha"]
    paged = await client.get(f"{PUBLIC}/{slug}", params={"limit": 1})
    assert len(paged.json()["bookmarks"]["items"]) == 1
    assert paged.json()["bookmarks"]["next_cursor"]

    for method in ("POST", "PUT", "PATCH", "DELETE"):
        write = await client.request(method, f"{PUBLIC}/{slug}", json={"name": "x"})
        assert write.status_code in (401, 405), (method, write.text)

    replaced = await client.post(f"{COLLECTIONS}/{cid}/public-link", headers=ann.headers)
    new_slug = replaced.json()["slug"]
    assert new_slug != slug
    assert_problem(await client.get(f"{PUBLIC}/{slug}"), 404)
    assert (await client.get(f"{PUBLIC}/{new_slug}")).status_code == 200

    revoked = await client.delete(f"{COLLECTIONS}/{cid}/public-link", headers=ann.headers)
    assert revoked.status_code == 204
    assert_problem(await client.get(f"{PUBLIC}/{new_slug}"), 404)
    assert_problem(await client.get(f"{PUBLIC}/{'x' * 200}"), 404)
    after = await client.get(f"{COLLECTIONS}/{cid}", headers=ann.headers)
    assert (after.json()["is_public"], after.json()["public_url"]) == (False, None)
