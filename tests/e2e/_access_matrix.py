"""The machinery of the access matrix (B1; S13, S14): actors, the scenario, the route table.

The table itself (`EXPECTATIONS`) lives in `test_http_access_matrix.py`; this module gives it
its vocabulary (`mine`, `obj`, `admin`, `public`), builds the scenario the rows are checked
against, reads the app's route table and runs one row for every actor.
"""

from __future__ import annotations

import enum
import itertools
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.routes import HTTPRoute

from project.entrypoints.http.schemas.linkding import tag_id
from tests.e2e._http_kit import Client, Login, login, signup

ACTORS = ("anonymous", "stranger", "viewer", "editor", "owner")
"""Every actor of a row, in the order a row runs them: the owner, who may destroy, last."""
SIGNED_IN = ACTORS[1:]

COLLECTIONS = "/api/v1/collections"
BOOKMARKS = "/api/v1/bookmarks"
B_URL = "https://example.com/b"
B_TAGS = ("matrix", "merge")
"""B's tags: a plain one, and one named like the static `/tags/merge` route."""
TAG = B_TAGS[0]
NETSCAPE = b'<DT><A HREF="https://example.com/imported" TAGS="imported">Imported</A>\n'

_SKIPPED_METHODS = {"OPTIONS", "HEAD"}
_PARAM = re.compile(r"\{(\w+):(\w+)\}")

RouteKey = tuple[str, str]
Statuses = frozenset[int]
Check = Callable[["Scenario", str, httpx.Response], "str | None"]
"""(scenario, actor, response) -> what is wrong with the body, or None."""
Body = Mapping[str, Any] | Callable[["Scenario", str], dict[str, Any]]
"""A JSON body, or (scenario, actor) -> keyword arguments of the request (files, json...)."""


class Kind(enum.Enum):
    OWN = "own"
    """Each actor acts on their own account, tokens, bookmarks, tags, lists..."""
    OBJECT = "object"
    """Addresses the owner's object (bookmark, collection, token, session, tag...): a
    stranger gets 404 (S13), never 403 and never a 2xx."""
    ADMIN = "admin"
    """Administration: 403 for every signed-in actor here (none is an administrator)."""
    PUBLIC = "public"
    """On the reviewed allowlist of public routes (S14)."""


@dataclass(frozen=True)
class Expect:
    """One row of the matrix: the status (or the honest set of statuses) of each actor."""

    statuses: Mapping[str, Statuses]
    kind: Kind
    body: Body | None = None
    params: Mapping[str, str] | None = None
    destructive: bool = False
    """Changes the scenario for later rows: the row gets a fresh scenario, and another fresh
    one for every further actor expected to succeed (so that the owner deleting B is not
    answered 404 because the editor deleted it first)."""
    check: Check | None = None


def _statuses(value: int | set[int] | frozenset[int]) -> Statuses:
    return frozenset({value}) if isinstance(value, int) else frozenset(value)


def _expect(
    kind: Kind,
    *,
    owner: int | set[int],
    editor: int | set[int],
    viewer: int | set[int],
    stranger: int | set[int],
    anonymous: int | set[int],
    **options: Any,
) -> Expect:
    given = {
        "owner": owner,
        "editor": editor,
        "viewer": viewer,
        "stranger": stranger,
        "anonymous": anonymous,
    }
    return Expect({actor: _statuses(value) for actor, value in given.items()}, kind, **options)


def mine(status: int | set[int], **options: Any) -> Expect:
    """Every signed-in actor gets `status` for their own call; anonymous callers 401."""
    return _expect(
        Kind.OWN,
        owner=status,
        editor=status,
        viewer=status,
        stranger=status,
        anonymous=401,
        **options,
    )


def obj(
    owner: int | set[int], editor: int | set[int], viewer: int | set[int], **options: Any
) -> Expect:
    """The owner's object: the stranger gets 404 (S13), anonymous callers 401 (S14)."""
    return _expect(
        Kind.OBJECT,
        owner=owner,
        editor=editor,
        viewer=viewer,
        stranger=404,
        anonymous=401,
        **options,
    )


def admin(**options: Any) -> Expect:
    return _expect(
        Kind.ADMIN, owner=403, editor=403, viewer=403, stranger=403, anonymous=401, **options
    )


def public(status: int | set[int], **options: Any) -> Expect:
    """A public route: the same answer whoever asks."""
    return _expect(
        Kind.PUBLIC,
        owner=status,
        editor=status,
        viewer=status,
        stranger=status,
        anonymous=status,
        **options,
    )


def is_success(statuses: Statuses) -> bool:
    return any(200 <= status < 300 for status in statuses)


# ---------------------------------------------------------------------------------------------
# The route table


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    handler: HTTPRouteHandler

    @property
    def key(self) -> RouteKey:
        return self.method, self.path

    @property
    def is_public(self) -> bool:
        return bool(self.handler.opt.get("public"))

    @property
    def takes_body(self) -> bool:
        return self.handler.parsed_data_field is not None


def routes(app: Litestar) -> Iterator[Route]:
    """Every (method, path template) of every HTTP route handler, as the deny-by-default
    test walks them (OPTIONS and HEAD aside)."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            for method in sorted(handler.http_methods - _SKIPPED_METHODS):
                yield Route(method, route.path, handler)


def concrete(path: str, values: Mapping[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise AssertionError(f"{path}: the scenario has no value for the parameter {name!r}")
        return values[name]

    return _PARAM.sub(value, path)


# ---------------------------------------------------------------------------------------------
# The scenario


@dataclass
class Scenario:
    """Owner owns collection C holding bookmark B (tagged), shares C with an editor and a
    viewer, published C, and has a smart list, an import job, an API token and a second
    session; the stranger has an account and nothing shared."""

    logins: dict[str, Login]
    spare_session_id: str
    collection_id: str
    bookmark_id: str
    slug: str
    smart_list_id: str
    import_job_id: str
    token_id: str
    values: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.values = {
            "bookmark_id": self.bookmark_id,
            "collection_id": self.collection_id,
            "user_id": self.logins["viewer"].user_id,
            "slug": self.slug,
            "name": TAG,
            "tag_uuid": str(tag_id(TAG)),
            "smart_list_id": self.smart_list_id,
            "job_id": self.import_job_id,
            "token_id": self.token_id,
            "session_id": self.spare_session_id,
            # Public routes: a file key with a bad signature, a docs page that does not exist.
            "key": "files/no-such-key",
            "path": "no-such-page",
            "file_path": "index-00000000.js",
        }

    def headers(self, actor: str) -> dict[str, str]:
        return {} if actor == "anonymous" else self.logins[actor].headers


def _created(response: httpx.Response, status: int = 201) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


class ScenarioBuilder:
    """Builds scenarios on one app; each has its own accounts (numbered email addresses)."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.built = 0
        self._numbers = itertools.count(1)
        self._admin: Login | None = None

    async def _ensure_admin(self) -> None:
        """The first account of an instance becomes its administrator (SPEC 3.1), so an
        administrator signs up first and the owner is a plain user like the others."""
        if self._admin is not None:
            return
        self._admin = await signup(self.client, "admin@example.com")
        me = await self.client.get("/api/v1/me", headers=self._admin.headers)
        assert me.json()["role"] == "admin", me.text

    async def build(self) -> Scenario:
        await self._ensure_admin()
        client = self.client
        n = next(self._numbers)
        self.built += 1
        logins = {actor: await signup(client, f"{actor}-{n}@example.com") for actor in SIGNED_IN}
        owner = logins["owner"]
        for who in logins.values():
            me = await client.get("/api/v1/me", headers=who.headers)
            assert me.json()["role"] == "user", me.text
        spare = await login(client, owner.email)

        collection = _created(
            await client.post(COLLECTIONS, json={"name": f"C{n}"}, headers=owner.headers)
        )
        cid = collection["id"]
        bookmark = _created(
            await client.post(
                BOOKMARKS,
                json={
                    "url": B_URL,
                    "title": "B",
                    "tags": list(B_TAGS),
                    "collection_id": cid,
                },
                headers=owner.headers,
            )
        )
        for member in ("editor", "viewer"):
            shared = await client.put(
                f"{COLLECTIONS}/{cid}/members",
                json={"email": logins[member].email, "role": member},
                headers=owner.headers,
            )
            assert shared.status_code == 200, shared.text
        link = _created(
            await client.post(f"{COLLECTIONS}/{cid}/public-link", headers=owner.headers)
        )
        smart = _created(
            await client.post(
                "/api/v1/smart-lists",
                json={"name": "Matrix", "query": "#matrix"},
                headers=owner.headers,
            )
        )
        job = _created(
            await client.post(
                "/api/v1/imports",
                files={"file": ("bookmarks.html", NETSCAPE, "text/html")},
                headers=owner.headers,
            ),
            202,
        )
        token = _created(
            await client.post(
                "/api/v1/tokens", json={"name": "script", "scopes": ["read"]}, headers=owner.headers
            )
        )
        return Scenario(
            logins=logins,
            spare_session_id=spare.session_id,
            collection_id=cid,
            bookmark_id=bookmark["id"],
            slug=link["slug"],
            smart_list_id=smart["id"],
            import_job_id=job["id"],
            token_id=token["id"],
        )


# ---------------------------------------------------------------------------------------------
# Running a row


@dataclass
class Outcome:
    cells: int = 0
    failures: list[str] = field(default_factory=list)


async def call(
    client: Client, scenario: Scenario, route: RouteKey, expect: Expect, actor: str
) -> httpx.Response:
    method, path = route
    kwargs: dict[str, Any] = {}
    if callable(expect.body):
        kwargs.update(expect.body(scenario, actor))
    elif expect.body is not None:
        kwargs["json"] = dict(expect.body)
    if expect.params is not None:
        kwargs["params"] = dict(expect.params)
    url = concrete(path, scenario.values)
    return await client.request(method, url, headers=scenario.headers(actor), **kwargs)


async def run_row(
    client: Client,
    builder: ScenarioBuilder,
    shared: Scenario,
    route: RouteKey,
    expect: Expect,
    outcome: Outcome,
    actors: tuple[str, ...] = ACTORS,
) -> None:
    """Call the route as every actor, on the shared scenario or, for a destructive row, on
    fresh ones; record every cell whose answer is not the expected one."""
    scenario = await builder.build() if expect.destructive else shared
    succeeded = False
    for actor in actors:
        wanted = expect.statuses[actor]
        if expect.destructive and is_success(wanted):
            if succeeded:
                scenario = await builder.build()
            succeeded = True
        response = await call(client, scenario, route, expect, actor)
        outcome.cells += 1
        problem = _judge(scenario, route, expect, actor, response)
        if problem is not None:
            method, path = route
            outcome.failures.append(f"{method} {path} as {actor}: {problem}")


def _judge(
    scenario: Scenario, route: RouteKey, expect: Expect, actor: str, response: httpx.Response
) -> str | None:
    status = response.status_code
    wanted = expect.statuses[actor]
    body = response.text[:300]
    if status >= 500:
        return f"expected {sorted(wanted)}, got {status} (server error): {body}"
    if actor == "anonymous" and expect.kind is not Kind.PUBLIC and status != 401:
        return f"an anonymous call must be 401 (S14), got {status}: {body}"
    if actor == "stranger" and expect.kind is Kind.OBJECT and status != 404:
        return f"a stranger must get 404 for the owner's object (S13), got {status}: {body}"
    if status not in wanted:
        return f"expected {sorted(wanted)}, got {status}: {body}"
    if expect.check is not None and 200 <= status < 300:
        return expect.check(scenario, actor, response)
    return None
