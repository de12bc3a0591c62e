"""B1, the access matrix (S13, S14): every route x method x {owner, editor, viewer, stranger,
anonymous}, built from the app's own route table.

The scenario (`_access_matrix.Scenario`): an administrator signs up first, so "owner" is a
plain user; owner owns collection C holding bookmark B (tags `matrix` and `merge`), shares C
with "editor" and "viewer" in those roles, published C (public slug), and has a smart list, an
import job, a personal API token and a second session. "stranger" is a registered user with
nothing shared; "anonymous" sends no credentials. Path parameters come from the scenario: B,
C, the viewer as the member (and as the admin routes' user), C's slug, the tag `matrix`, the
owner's smart list, import job, token and second session.

`EXPECTATIONS` below is the reviewed table: one entry per (method, path template), giving each
actor's status. Routes on "my own" things (me, tokens, sessions, tags, smart lists, imports,
exports, linkding) expect what the actor gets for their own call; a route addressing the
owner's object by id answers every other actor 404 unless their role lets them see it
(`obj`). A route of the app without an entry, or an entry without a route, fails the suite.

Destructive rows (deleting B or C, revoking the owner's token or session, renaming tags,
logging out...) get a fresh scenario, and another one for each further actor expected to
succeed; the others share one scenario. The actors run anonymous, stranger, viewer, editor,
owner, so a wrongly allowed call shows up before the owner's.

Both backends run the full matrix: 79 routes x 5 actors = 395 cells each, about 7 s on
SQLite and 13 s on PostgreSQL here, so no subset is needed.

Below the matrix: object ids that travel in a query or a body (`collection_id`, `in:`), and
an access bug found while building it (an editor moving the owner's bookmark elsewhere), now fixed.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.e2e._access_matrix import (
    ACTORS,
    B_URL,
    NETSCAPE,
    SIGNED_IN,
    TAG,
    Expect,
    Kind,
    Outcome,
    RouteKey,
    Scenario,
    ScenarioBuilder,
    admin,
    is_success,
    mine,
    obj,
    public,
    routes,
    run_row,
)
from tests.e2e._http_kit import NEW_PASSWORD, PASSWORD, Client

# ---------------------------------------------------------------------------------------------
# Body checks: a 2xx that shows someone else's things is a leak all the same.


def _ids(body: Any, key: str) -> set[str]:
    return {str(item["id"]) for item in body[key]}


def _bookmark_list(key: str, members_see_b: bool = False) -> Any:
    """A list of bookmarks holds B for its owner (and, when `members_see_b`, for C's members);
    never for anyone else."""

    def check(scenario: Scenario, actor: str, response: httpx.Response) -> str | None:
        listed = scenario.bookmark_id in _ids(response.json(), key)
        if actor == "stranger" and listed:
            return "the stranger's list shows the owner's bookmark B"
        if actor in ("editor", "viewer") and listed != members_see_b:
            return f"B {'missing from' if members_see_b else 'shown in'} the {actor}'s list"
        return None

    return check


def _collection_list(scenario: Scenario, actor: str, response: httpx.Response) -> str | None:
    listed = scenario.collection_id in _ids(response.json(), "items")
    if listed != (actor != "stranger"):
        return f"C {'shown to' if listed else 'missing for'} the {actor}"
    return None


def _owner_only(key: str, value: str) -> Any:
    """A list of the caller's own things holds the owner's `value` for the owner alone."""

    def check(scenario: Scenario, actor: str, response: httpx.Response) -> str | None:
        wanted = scenario.values[value]
        listed = wanted in _ids(response.json(), key)
        if listed != (actor == "owner"):
            return f"the owner's {value} {'shown to' if listed else 'missing for'} {actor}"
        return None

    return check


def _no_b_found(key: str) -> Any:
    """`check?url=B` finds B for its owner only: it looks in the caller's own bookmarks."""

    def check(scenario: Scenario, actor: str, response: httpx.Response) -> str | None:
        found = response.json()[key]
        if (found is not None) != (actor == "owner"):
            return f"check?url=B answered {found!r} to {actor}"
        if found is not None and str(found["id"]) != scenario.bookmark_id:
            return "check?url=B found another bookmark"
        return None

    return check


def _tag_names(key: str) -> Any:
    def check(scenario: Scenario, actor: str, response: httpx.Response) -> str | None:
        names = {item["name"] for item in response.json()[key]}
        if (TAG in names) != (actor == "owner"):
            return (
                f"the owner's tag {TAG!r} {'shown to' if TAG in names else 'missing for'} {actor}"
            )
        return None

    return check


def _export(scenario: Scenario, actor: str, response: httpx.Response) -> str | None:
    if (B_URL in response.text) != (actor == "owner"):
        return f"the export of {actor} {'holds' if B_URL in response.text else 'lacks'} B"
    return None


def _bulk(scenario: Scenario, actor: str, response: httpx.Response) -> str | None:
    """Bulk edits answer 200 and report what the caller may not edit as not found, so a
    viewer or stranger learns nothing; B must be in `not_found` for them and only them."""
    not_found = {str(i) for i in response.json()["not_found"]}
    refused = scenario.bookmark_id in not_found
    if refused != (actor in ("viewer", "stranger")):
        return f"bulk on B as {actor}: not_found={sorted(not_found)}"
    return None


def _public_collection(scenario: Scenario, actor: str, response: httpx.Response) -> str | None:
    body = response.json()
    if [b["url"] for b in body["bookmarks"]["items"]] != [B_URL]:
        return f"the public page does not show exactly B: {body}"
    return None


# ---------------------------------------------------------------------------------------------
# Bodies that depend on the scenario


def _import_upload(scenario: Scenario, actor: str) -> dict[str, Any]:
    return {"files": {"file": ("bookmarks.html", NETSCAPE, "text/html")}}


def _bulk_favorite_b(scenario: Scenario, actor: str) -> dict[str, Any]:
    return {"json": {"ids": [scenario.bookmark_id], "action": "favorite"}}


def _share_with_viewer(scenario: Scenario, actor: str) -> dict[str, Any]:
    """Re-grants the viewer the role they have: allowed for the owner, changing nothing."""
    return {"json": {"email": scenario.logins["viewer"].email, "role": "viewer"}}


# ---------------------------------------------------------------------------------------------
# The reviewed table. Statuses: obj(owner, editor, viewer) with stranger 404, anonymous 401;
# mine(status) for everyone's own call; admin() 403/401; public(status) for all five.

V1 = "/api/v1"
BOOKMARK = f"{V1}/bookmarks/{{bookmark_id:uuid}}"
COLLECTION = f"{V1}/collections/{{collection_id:uuid}}"
SMART_LIST = f"{V1}/smart-lists/{{smart_list_id:uuid}}"
ADMIN_USER = f"{V1}/admin/users/{{user_id:uuid}}"
LD_BOOKMARK = "/api/bookmarks/{bookmark_id:uuid}"

EXPECTATIONS: dict[RouteKey, Expect] = {
    # --- auth: public flows, given bodies that cannot succeed; signed-in flows on one's own
    ("POST", f"{V1}/auth/register"): public(400, body={}),
    ("POST", f"{V1}/auth/login"): public(
        401, body={"email": "nobody@example.com", "password": PASSWORD}
    ),
    ("POST", f"{V1}/auth/refresh"): public(401, body={"refresh_token": "rt_not-a-token"}),
    ("POST", f"{V1}/auth/password-reset/request"): public(
        202, body={"email": "nobody@example.com"}
    ),
    ("POST", f"{V1}/auth/password-reset/confirm"): public(
        401, body={"token": "prt_not-a-token", "new_password": NEW_PASSWORD}
    ),
    ("POST", f"{V1}/auth/logout"): mine(204, destructive=True),
    # Browser mode: without the double-submit CSRF token every unsafe call is a 403 (S27).
    ("GET", f"{V1}/auth/browser/csrf"): public(200),
    ("POST", f"{V1}/auth/browser/login"): public(
        403, body={"email": "nobody@example.com", "password": PASSWORD}
    ),
    ("POST", f"{V1}/auth/browser/refresh"): public(403),
    ("POST", f"{V1}/auth/browser/logout"): mine(403),
    ("POST", f"{V1}/auth/logout-all"): mine(200, destructive=True),
    ("POST", f"{V1}/auth/password"): mine(
        204,
        body={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        destructive=True,
    ),
    ("GET", f"{V1}/auth/sessions"): mine(200, check=_owner_only("items", "session_id")),
    ("DELETE", f"{V1}/auth/sessions/{{session_id:uuid}}"): obj(204, 404, 404, destructive=True),
    # --- the caller's account and API tokens
    ("GET", f"{V1}/me"): mine(200),
    ("PATCH", f"{V1}/me"): mine(200, body={"display_name": "Renamed"}),
    ("GET", f"{V1}/tokens"): mine(200, check=_owner_only("items", "token_id")),
    ("POST", f"{V1}/tokens"): mine(201, body={"name": "matrix", "scopes": ["read"]}),
    ("DELETE", f"{V1}/tokens/{{token_id:uuid}}"): obj(204, 404, 404, destructive=True),
    # --- the caller's second factor (S7): nobody here has one on, so changing it is a 409,
    # and "00000a" is no code (403) should an enrolment be started when confirm runs
    ("GET", f"{V1}/me/totp"): mine(200),
    ("POST", f"{V1}/me/totp/start"): mine(201),
    ("POST", f"{V1}/me/totp/confirm"): mine({403, 409}, body={"code": "00000a"}),
    ("POST", f"{V1}/me/totp/disable"): mine(409, body={"password": PASSWORD, "code": "00000a"}),
    ("POST", f"{V1}/me/totp/recovery-codes"): mine(409, body={"code": "00000a"}),
    # --- administration: nobody here is an administrator
    ("GET", f"{V1}/admin/users"): admin(),
    ("POST", f"{V1}/admin/users"): admin(
        body={"email": "made-by-matrix@example.com", "password": PASSWORD}
    ),
    ("GET", ADMIN_USER): admin(),
    ("PATCH", ADMIN_USER): admin(body={"status": "disabled"}),
    ("DELETE", ADMIN_USER): admin(),
    ("POST", f"{ADMIN_USER}/password"): admin(body={"new_password": NEW_PASSWORD}),
    ("POST", f"{V1}/admin/invites"): admin(body={}),
    ("GET", f"{V1}/admin/audit"): admin(),
    # --- bookmarks: one's own list; B by id follows the collection roles
    ("GET", f"{V1}/bookmarks"): mine(200, check=_bookmark_list("items")),
    ("POST", f"{V1}/bookmarks"): mine(201, body={"url": "https://example.org/v1-new"}),
    ("GET", f"{V1}/bookmarks/check"): mine(
        200, params={"url": B_URL}, check=_no_b_found("bookmark")
    ),
    ("POST", f"{V1}/bookmarks/bulk"): mine(200, body=_bulk_favorite_b, check=_bulk),
    ("GET", BOOKMARK): obj(200, 200, 200),
    ("PATCH", BOOKMARK): obj(200, 200, 403, body={"title": "Edited"}),
    ("DELETE", BOOKMARK): obj(204, 204, 403, destructive=True),
    # Asking for an archive is an edit; nothing is archived in this scenario (no worker
    # runs), so reading the archive is 404 for everyone: what matters is the stranger's 404
    # and the anonymous 401, and the owner's read is tested in test_http_archiving.
    ("POST", f"{BOOKMARK}/archive"): obj(202, 202, 403),
    ("GET", f"{BOOKMARK}/snapshot"): obj(404, 404, 404),
    ("GET", f"{BOOKMARK}/text"): obj(404, 404, 404),
    ("GET", f"{BOOKMARK}/preview"): obj(404, 404, 404),
    ("GET", f"{BOOKMARK}/favicon"): obj(404, 404, 404),
    # --- tags: per user; the owner's tags are not the members' (B's tags are the owner's)
    ("GET", f"{V1}/tags"): mine(200, check=_tag_names("items")),
    ("POST", f"{V1}/tags/merge"): obj(
        200, 404, 404, body={"sources": [TAG], "into": "joined"}, destructive=True
    ),
    ("PATCH", f"{V1}/tags/merge"): obj(200, 404, 404, body={"name": "merged"}, destructive=True),
    ("DELETE", f"{V1}/tags/merge"): obj(204, 404, 404, destructive=True),
    ("PATCH", f"{V1}/tags/{{name:path}}"): obj(
        200, 404, 404, body={"name": "renamed"}, destructive=True
    ),
    ("DELETE", f"{V1}/tags/{{name:path}}"): obj(204, 404, 404, destructive=True),
    # --- imports and exports of one's own bookmarks
    ("POST", f"{V1}/imports"): mine(202, body=_import_upload),
    ("GET", f"{V1}/imports/{{job_id:uuid}}"): obj(200, 404, 404),
    ("GET", f"{V1}/exports"): mine(200, check=_export),
    # --- collections (SPEC 3.4): viewers read, editors also edit bookmarks, the owner manages
    ("GET", f"{V1}/collections"): mine(200, check=_collection_list),
    ("POST", f"{V1}/collections"): mine(201, body={"name": "Mine"}),
    ("GET", COLLECTION): obj(200, 200, 200),
    ("PATCH", COLLECTION): obj(200, 403, 403, body={"description": "edited"}),
    ("DELETE", COLLECTION): obj(204, 403, 403, destructive=True),
    ("GET", f"{COLLECTION}/bookmarks"): obj(
        200, 200, 200, check=_bookmark_list("items", members_see_b=True)
    ),
    ("GET", f"{COLLECTION}/members"): obj(200, 200, 200),
    ("PUT", f"{COLLECTION}/members"): obj(200, 403, 403, body=_share_with_viewer),
    # The member is the viewer: the owner removes them, and they may leave on their own.
    ("DELETE", f"{COLLECTION}/members/{{user_id:uuid}}"): obj(204, 403, 204, destructive=True),
    ("POST", f"{COLLECTION}/public-link"): obj(201, 403, 403, destructive=True),
    ("DELETE", f"{COLLECTION}/public-link"): obj(204, 403, 403, destructive=True),
    ("GET", f"{V1}/public/collections/{{slug:str}}"): public(200, check=_public_collection),
    # --- smart lists: the owner's alone
    ("GET", f"{V1}/smart-lists"): mine(200, check=_owner_only("items", "smart_list_id")),
    ("POST", f"{V1}/smart-lists"): mine(201, body={"name": "Mine", "query": "#x"}),
    ("GET", SMART_LIST): obj(200, 404, 404),
    ("PATCH", SMART_LIST): obj(200, 404, 404, body={"name": "Edited"}),
    ("DELETE", SMART_LIST): obj(204, 404, 404, destructive=True),
    ("GET", f"{SMART_LIST}/bookmarks"): obj(200, 404, 404),
    # --- the linkding-compatible API: the same rules through the same services
    ("GET", "/api/bookmarks"): mine(200, check=_bookmark_list("results")),
    ("POST", "/api/bookmarks"): mine(201, body={"url": "https://example.org/linkding-new"}),
    ("GET", "/api/bookmarks/archived"): mine(200, check=_bookmark_list("results")),
    ("GET", "/api/bookmarks/shared"): mine(
        200, check=_bookmark_list("results", members_see_b=True)
    ),
    ("GET", "/api/bookmarks/check"): mine(
        200, params={"url": B_URL}, check=_no_b_found("bookmark")
    ),
    ("GET", LD_BOOKMARK): obj(200, 200, 200),
    ("PUT", LD_BOOKMARK): obj(200, 200, 403, body={"url": B_URL, "title": "Put"}),
    ("PATCH", LD_BOOKMARK): obj(200, 200, 403, body={"title": "Patched"}),
    ("DELETE", LD_BOOKMARK): obj(204, 204, 403, destructive=True),
    ("POST", f"{LD_BOOKMARK}/archive"): obj(204, 204, 403),
    ("POST", f"{LD_BOOKMARK}/unarchive"): obj(204, 204, 403),
    ("GET", "/api/tags"): mine(200, check=_tag_names("results")),
    ("POST", "/api/tags"): mine(201, body={"name": "fresh"}),
    ("GET", "/api/tags/{tag_uuid:uuid}"): obj(200, 404, 404),
    ("GET", "/api/user/profile"): mine(200),
    # --- public infrastructure: health, the OpenAPI document, signed file URLs
    # Open only to PROJECT_METRICS_ALLOWED_NETWORKS by socket peer; the test client is none.
    ("GET", "/metrics"): public(404),
    ("GET", "/health/live"): public(200),
    ("GET", "/health/ready"): public(200),
    ("GET", "/schema"): public(200),
    ("GET", "/schema/scalar"): public(200),
    ("GET", "/schema/openapi.json"): public(200),
    ("GET", "/schema/{path:str}"): public(404),
    # The signature is the credential (S24); a wrong one is a 404 for everyone.
    ("GET", "/blobs/{key:path}"): public(
        404,
        params={"expires": "1", "type": "text/plain", "disposition": "inline", "signature": "x"},
    ),
    # The web app: its entry page on any client route, and its hashed files (none by that name).
    ("GET", "/"): public(200),
    ("GET", "/{path:path}"): public(200),
    ("GET", "/assets/{file_path:path}"): public(404),
}


# ---------------------------------------------------------------------------------------------
# The tests


def _coverage_problems(app_routes: set[RouteKey]) -> list[str]:
    missing = sorted(app_routes - set(EXPECTATIONS))
    stale = sorted(set(EXPECTATIONS) - app_routes)
    return [f"route without an entry in EXPECTATIONS (add one): {m} {p}" for m, p in missing] + [
        f"EXPECTATIONS entry for a route the app no longer has: {m} {p}" for m, p in stale
    ]


async def test_B1_every_route_of_the_app_has_exactly_one_entry(client: Client) -> None:
    """A new route without an entry fails here, by name; so does an entry for a gone route."""
    problems = _coverage_problems({route.key for route in routes(client.app)})
    assert not problems, "\n".join(problems)


async def test_B1_the_table_itself_keeps_the_rules_S13_S14(client: Client) -> None:
    """The entries say what the rules say: public exactly where the route is public, 401 for
    anonymous callers elsewhere, 404 for strangers on the owner's objects, 403 on admin
    routes, an object row for every path with an id, and a body for every route that reads
    one."""
    wrong: list[str] = []
    for route in routes(client.app):
        expect = EXPECTATIONS.get(route.key)
        if expect is None:
            continue  # reported by the test above
        name = f"{route.method} {route.path}"
        if route.is_public != (expect.kind is Kind.PUBLIC):
            wrong.append(f"{name}: public={route.is_public} but the entry is {expect.kind}")
        if expect.kind is not Kind.PUBLIC and expect.statuses["anonymous"] != {401}:
            wrong.append(f"{name}: anonymous must expect 401")
        if expect.kind is Kind.OBJECT and expect.statuses["stranger"] != {404}:
            wrong.append(f"{name}: a stranger must expect 404 on the owner's object")
        if expect.kind in (Kind.OBJECT, Kind.ADMIN) and is_success(expect.statuses["stranger"]):
            wrong.append(f"{name}: a stranger expects a 2xx on someone else's object")
        if expect.kind is Kind.ADMIN and any(expect.statuses[a] != {403} for a in SIGNED_IN):
            wrong.append(f"{name}: admin routes are 403 for every non-admin")
        if "{" in route.path and expect.kind is Kind.OWN:
            wrong.append(f"{name}: an id in the path names someone's object; use obj()")
        if route.takes_body and expect.body is None:
            wrong.append(f"{name}: the route reads a body; give the row a minimal valid one")
        for actor in ACTORS:
            if not expect.statuses[actor]:
                wrong.append(f"{name}: no status for {actor}")
    assert not wrong, "\n".join(wrong)


async def test_B1_access_matrix_every_route_and_actor_S13_S14(client: Client, backend: str) -> None:
    builder = ScenarioBuilder(client)
    shared = await builder.build()
    outcome = Outcome()
    app_routes = [route.key for route in routes(client.app)]
    problems = _coverage_problems(set(app_routes))
    assert not problems, "\n".join(problems)
    # Shared rows first (they leave the scenario as it was), then the destructive ones.
    ordered = sorted(app_routes, key=lambda key: (EXPECTATIONS[key].destructive, key))
    for key in ordered:
        await run_row(client, builder, shared, key, EXPECTATIONS[key], outcome)

    expected_cells = len(app_routes) * len(ACTORS)
    print(
        f"\nB1 access matrix on {backend}: {len(app_routes)} routes x {len(ACTORS)} actors = "
        f"{outcome.cells} cells, {builder.built} scenarios"
    )
    assert outcome.cells == expected_cells
    assert not outcome.failures, (
        f"{len(outcome.failures)} of {outcome.cells} cells are wrong:\n"
        + "\n".join(outcome.failures)
    )


# ---------------------------------------------------------------------------------------------
# Object ids that travel in a query or a body rather than in the path


async def _own_bookmark(client: Client, scenario: Scenario, actor: str) -> str:
    response = await client.post(
        "/api/v1/bookmarks",
        json={"url": f"https://example.org/{actor}-own"},
        headers=scenario.headers(actor),
    )
    assert response.status_code == 201, response.text
    bookmark_id: str = response.json()["id"]
    return bookmark_id


async def test_B1_collection_ids_in_queries_and_bodies_follow_the_roles_S13(
    client: Client,
) -> None:
    """`collection_id` as a list filter, in a new bookmark, in a move (PATCH and bulk) and
    `in:<name>` in a search: members get what their role allows; a stranger's answer for C is
    the answer for a collection that does not exist (status and code), so C's existence does
    not leak, and the stranger's search never finds B."""
    scenario = await ScenarioBuilder(client).build()
    cid = scenario.collection_id
    nowhere = str(uuid.uuid4())
    own = {actor: await _own_bookmark(client, scenario, actor) for actor in SIGNED_IN}
    requests: dict[str, tuple[dict[str, int], Any]] = {
        "list ?collection_id": (
            {"owner": 200, "editor": 200, "viewer": 200, "stranger": 404},
            lambda actor, c: ("GET", "/api/v1/bookmarks", {"params": {"collection_id": c}}),
        ),
        "create into": (
            {"owner": 201, "editor": 201, "viewer": 403, "stranger": 422},
            lambda actor, c: (
                "POST",
                "/api/v1/bookmarks",
                {"json": {"url": f"https://example.org/into-{c}", "collection_id": c}},
            ),
        ),
        "move (PATCH)": (
            {"owner": 200, "editor": 200, "viewer": 403, "stranger": 422},
            lambda actor, c: (
                "PATCH",
                f"/api/v1/bookmarks/{own[actor]}",
                {"json": {"collection_id": c}},
            ),
        ),
        "move (bulk)": (
            {"owner": 200, "editor": 200, "viewer": 403, "stranger": 422},
            lambda actor, c: (
                "POST",
                "/api/v1/bookmarks/bulk",
                {"json": {"ids": [own[actor]], "action": "move", "collection_id": c}},
            ),
        ),
    }
    wrong: list[str] = []
    for label, (statuses, make) in requests.items():
        for actor in SIGNED_IN:
            method, path, kwargs = make(actor, cid)
            response = await client.request(method, path, headers=scenario.headers(actor), **kwargs)
            if response.status_code != statuses[actor]:
                wrong.append(f"{label} C as {actor}: {response.status_code} {response.text[:200]}")
            if actor == "stranger":
                method, path, kwargs = make(actor, nowhere)
                baseline = await client.request(
                    method, path, headers=scenario.headers(actor), **kwargs
                )
                seen = (response.status_code, response.json().get("code"))
                unknown = (baseline.status_code, baseline.json().get("code"))
                if seen != unknown:
                    wrong.append(f"{label}: C answers {seen}, an unknown id {unknown}")

    name = await client.get(f"/api/v1/collections/{cid}", headers=scenario.headers("owner"))
    query = f"in:{name.json()['name']}"
    for actor in SIGNED_IN:
        found = await client.get(
            "/api/v1/bookmarks", params={"q": query}, headers=scenario.headers(actor)
        )
        listed = scenario.bookmark_id in {b["id"] for b in found.json()["items"]}
        if found.status_code != 200 or listed != (actor != "stranger"):
            wrong.append(f"q={query} as {actor}: {found.status_code}, B listed: {listed}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("how", ["patch", "bulk"])
async def test_B1_an_editor_cannot_hand_the_owners_bookmark_to_someone_else(
    client: Client, how: str
) -> None:
    scenario = await ScenarioBuilder(client).build()
    editor, stranger = scenario.headers("editor"), scenario.headers("stranger")
    bid = scenario.bookmark_id
    mine_ = await client.post("/api/v1/collections", json={"name": "Mine"}, headers=editor)
    d = mine_.json()["id"]
    if how == "patch":
        moved = await client.patch(
            f"/api/v1/bookmarks/{bid}", json={"collection_id": d}, headers=editor
        )
        refused = moved.status_code in (403, 404, 422)
    else:
        moved = await client.post(
            "/api/v1/bookmarks/bulk",
            json={"ids": [bid], "action": "move", "collection_id": d},
            headers=editor,
        )
        refused = moved.status_code != 200 or bid in moved.json()["not_found"]
    await client.put(
        f"/api/v1/collections/{d}/members",
        json={"email": scenario.logins["stranger"].email, "role": "viewer"},
        headers=editor,
    )
    read = await client.get(f"/api/v1/bookmarks/{bid}", headers=stranger)
    assert refused, f"the editor moved B out of C: {moved.status_code} {moved.text[:200]}"
    assert read.status_code == 404, f"the stranger reads the owner's B: {read.text[:200]}"
