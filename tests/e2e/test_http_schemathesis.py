"""B10: schemathesis over the whole OpenAPI document runs clean (S16-S18, S26, S29).

Every operation the app documents, with every phase of schemathesis's engine (the document's
examples, boundary coverage, fuzzing, stateful sequences over inferred links) and every check
it has, each run against a fresh app: anonymous, as the admin (the first account registered)
and as a member, each signed-in one with a peer who must not read what they read.
Examples are bounded and derandomized so a run costs seconds and CI sees the same cases each
time. Every response seen must also carry the S29 security headers, and any cookie the S26
flags. The summary line of each run (cases, operations, exceptions) is printed past pytest's
capture.

Nothing is excluded. The operations that end the caller's session (logout, logout-all, ending
a session, a password change) keep their cases: the identity signs in again whenever a token
comes back 401, through schemathesis's own re-authentication.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec
import pytest
import schemathesis
from litestar import Litestar
from litestar.routes import HTTPRoute
from schemathesis.core.transport import Response
from schemathesis.engine import Status, events, from_schema
from schemathesis.python import asgi

from project.entrypoints.settings import Environment, Settings
from tests.e2e._http_kit import AUTH, PASSWORD, make_app

OPENAPI = "/schema/openapi.json"
# Over https, so the run also sees HSTS and what `Secure` cookies do.
BASE_URL = "https://testserver"
MAX_EXAMPLES = 15
SEED = 10
# A floor per operation: a run that reached the app this few times tested nothing.
MIN_CASES_PER_OPERATION = 10
ACCOUNTS = {
    "admin": "b10-admin@example.org",
    "member": "b10-member@example.org",
    "stranger": "b10-stranger@example.org",
}
# Who a run signs in as, and the peer who must not read what they read: schemathesis's
# object_level_authorization replays each of their successful reads as the peer.
PEERS = {"admin": "member", "member": "stranger"}
# Every identity on SQLite; on PostgreSQL the admin, who reaches the most rows, so the file
# stays within a couple of minutes.
RUNS = [
    pytest.param("sqlite", "anonymous"),
    pytest.param("sqlite", "admin"),
    pytest.param("sqlite", "member"),
    pytest.param("postgres", "admin", marks=pytest.mark.postgres),
]

# Every check schemathesis 4 has, on, with two adjustments and a few exceptions:
# - positive_data_acceptance also expects 412 and 422 (schemathesis's own list, plus those).
#   Here 400 means "does not match the schema"; 422 is a domain rule no schema can state (a
#   common password, an address the domain refuses), 412 an `If-Match` naming another version
#   than the current one, which a well-formed ETag does as well as a random one. A
#   schema-valid request answered 400 still fails it.
# - max_response_time stays off: a time limit is a benchmark's business (REQUIREMENTS, P).
# - NOT_APPLICABLE turns one check off for one operation each, for the reason given there.
CHECKS: dict[str, Any] = {
    "enabled": True,
    "positive_data_acceptance": {
        "expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "412", "422", "429", "5xx"],
    },
}
_ARCHIVE_OUTPUTS = ("favicon", "preview", "snapshot", "text")
NOT_APPLICABLE = [
    # Form values are text, and Litestar reads "0" and "1" as booleans where schemathesis
    # sends them as not-a-boolean.
    ("POST", "/api/v1/imports", "negative_data_rejection"),
    # What archiving a bookmark produces exists once its job ran, and is 404 until then;
    # schemathesis expects it right after the bookmark is created.
    *(
        ("GET", f"/api/v1/bookmarks/{{bookmark_id}}/{output}", "ensure_resource_availability")
        for output in _ARCHIVE_OUTPUTS
    ),
]

_CSP_DIRECTIVES = ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'")
_BLOB_CSP_DIRECTIVES = ("sandbox", "default-src 'none'")
_HSTS = re.compile(r"max-age=(\d+)")
_YEAR = 365 * 24 * 3600
_READABLE_BY_SCRIPT = re.compile(r"csrf", re.IGNORECASE)


@dataclass
class Run:
    """What one schemathesis run saw."""

    cases: int = 0
    operations: set[str] = field(default_factory=set)
    failures: list[str] = field(default_factory=list)
    statuses: dict[str, Counter[int]] = field(default_factory=dict)
    cookies: int = 0
    relogins: int = 0

    def saw(self, operation: str, status: int) -> bool:
        return self.statuses.get(operation, Counter())[status] > 0


SUMMARY_PROPERTY = "schemathesis"


@pytest.fixture
def app(app_settings: Settings) -> Iterator[Litestar]:
    """The app on the test's database; schemathesis runs its lifespan on its own loop."""
    # One caller sends thousands of requests a minute here; the limits have their own tests.
    settings = msgspec.structs.replace(app_settings, api_user_requests_per_minute=1_000_000)
    try:
        yield make_app(settings)
    finally:
        asgi.shutdown_lifespans()


@pytest.mark.parametrize(("backend", "identity"), RUNS, indirect=["backend"])
def test_B10_schemathesis_runs_clean(
    app: Litestar,
    identity: str,
    backend: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    request: pytest.FixtureRequest,
) -> None:
    schema = _schema(app, identity, tmp_path)
    operations = len(list(schema.get_all_operations()))
    started = time.monotonic()
    run = _execute(schema)
    elapsed = time.monotonic() - started
    summary = (
        f"schemathesis ({backend}, {identity}): {run.cases} cases over "
        f"{len(run.operations)} of {operations} operations, 0 excluded, "
        f"{len(NOT_APPLICABLE)} with a check off, {run.cookies} cookies, "
        f"{run.relogins} re-logins, {elapsed:.1f} s"
    )
    with capsys.disabled():
        print("\n" + summary)
    # Printed again in the run's summary (tests/conftest.py), which xdist workers reach.
    request.node.user_properties.append((SUMMARY_PROPERTY, summary))

    assert not run.failures, "\n\n".join(run.failures)
    assert len(run.operations) == operations
    assert run.cases >= MIN_CASES_PER_OPERATION * operations
    _assert_identity_held(run, identity)


def test_B10_no_body_field_is_named_like_a_dependency(tmp_path: Path) -> None:
    """Litestar 2 takes an invalid body field named like a dependency for a failing
    dependency and answers 500; schemathesis found it with `BookmarkIn.tags` over `tags`."""
    app = make_app(Settings(env=Environment.TEST, data_dir=tmp_path).resolve())
    clashes = {
        (route.path, name)
        for route in app.routes
        if isinstance(route, HTTPRoute)
        for handler in route.route_handlers
        if handler.parsed_data_field is not None
        for name in _field_names(handler.parsed_data_field.annotation)
        if name in handler.resolve_dependencies()
    }
    assert not clashes


def _field_names(body: Any) -> list[str]:
    if not (isinstance(body, type) and issubclass(body, msgspec.Struct)):
        return []
    return [field.encode_name for field in msgspec.structs.fields(body)]


def _schema(app: Litestar, identity: str, tmp_path: Path) -> schemathesis.BaseSchema:
    # Explicit identities only: its own sign-up would make the anonymous run a user.
    auth: dict[str, Any] = {"auto-signup": False}
    if identity != "anonymous":
        auth["wfc"] = _signed_in(app, identity, tmp_path)
    config = schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "base-url": BASE_URL,
            "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
            "checks": CHECKS,
            "operations": [
                {
                    "include-method": method,
                    "include-path": path,
                    "checks": {check: {"enabled": False}},
                }
                for method, path, check in NOT_APPLICABLE
            ],
            "auth": auth,
        }
    )
    return schemathesis.openapi.from_asgi(OPENAPI, app, config=config)


def _signed_in(app: Litestar, identity: str, tmp_path: Path) -> dict[str, Any]:
    """A Web Fuzzing Commons document: `identity` and its peer log in through the API.

    Their bearer tokens are cached and fetched again whenever one comes back 401, so the
    operations that end a session (logout, logout-all, a password change) keep their cases.
    """
    users = (identity, PEERS[identity])
    with asgi.get_client(app) as client:
        # The admin first: the first account registered becomes the admin.
        for name in dict.fromkeys(("admin", *users)):
            response = client.post(
                f"{AUTH}/register", json={"email": ACCOUNTS[name], "password": PASSWORD}
            )
            assert response.status_code == 201, response.text
    document = tmp_path / "wfc-auth.json"
    document.write_bytes(msgspec.json.encode({"auth": [_login(name) for name in users]}))
    return {"path": str(document), "user": identity, "peers": list(users)}


def _login(name: str) -> dict[str, Any]:
    credentials = {"email": ACCOUNTS[name], "password": PASSWORD}
    return {
        "name": name,
        "loginEndpointAuth": {
            "endpoint": f"{AUTH}/login",
            "verb": "POST",
            "contentType": "application/json",
            "payloadRaw": msgspec.json.encode(credentials).decode(),
            "token": {
                "extractFrom": "body",
                "extractSelector": "/access_token",
                "sendIn": "header",
                "sendName": "Authorization",
                "sendTemplate": "Bearer {token}",
            },
        },
    }


def _execute(schema: schemathesis.BaseSchema) -> Run:
    run = Run()
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            _record(run, event)
        elif isinstance(event, events.NonFatalError | events.FatalError):
            run.failures.append(f"engine error: {event!r}")
        elif isinstance(event, events.EngineFinished) and event.payload is not None:
            run.relogins = event.payload.reauth_count
    return run


def _record(run: Run, event: events.ScenarioFinished) -> None:
    recorder = event.recorder
    run.cases += len(recorder.cases)
    for node in recorder.cases.values():
        run.operations.add(node.value.operation.label)
    for case_id, interaction in recorder.interactions.items():
        response = interaction.response
        if response is None:
            continue
        node = recorder.cases.get(case_id)
        # Keyed by the method sent: the checks also send OPTIONS and unsupported methods.
        path = node.value.operation.path if node is not None else interaction.request.uri
        label = f"{interaction.request.method} {path}"
        run.statuses.setdefault(label, Counter())[response.status_code] += 1
        run.cookies += len(response.headers.get("set-cookie", []))
        run.failures.extend(f"{label}: {problem}" for problem in _header_problems(response))
    for case_id, checks in recorder.checks.items():
        for check in checks:
            if check.status == Status.FAILURE and check.failure_info is not None:
                failure = check.failure_info.failure
                run.failures.append(
                    f"[{event.phase.value}] {failure.operation}: {check.name}: {failure.title}\n"
                    f"{failure.message}\n{check.failure_info.code_sample}\n"
                    f"-> {_answer(recorder.find_response(case_id=case_id))}"
                )


def _answer(response: Response | None) -> str:
    if response is None:
        return "no response"
    return f"{response.status_code} {response.content[:300]!r}"


def _header_problems(response: Response) -> Iterator[str]:
    """S29 headers on every response, S26 flags on every cookie."""
    request = response.request
    headers = {name: values[-1] for name, values in response.headers.items()}
    where = f"{request.method} {request.url} -> {response.status_code}"
    if headers.get("x-content-type-options") != "nosniff":
        yield f"{where}: no `X-Content-Type-Options: nosniff`"
    if headers.get("referrer-policy") != "strict-origin-when-cross-origin":
        yield f"{where}: wrong Referrer-Policy {headers.get('referrer-policy')!r}"
    csp = headers.get("content-security-policy", "")
    blob = (request.path_url or "").startswith("/blobs/")
    for directive in _BLOB_CSP_DIRECTIVES if blob else _CSP_DIRECTIVES:
        if directive not in csp:
            yield f"{where}: CSP {csp!r} lacks {directive!r}"
    hsts = _HSTS.search(headers.get("strict-transport-security", ""))
    if hsts is None or int(hsts.group(1)) < _YEAR:
        yield f"{where}: HSTS missing or under a year"
    if "authorization" in request.headers and headers.get("cache-control") != "no-store":
        yield f"{where}: authenticated answer without `Cache-Control: no-store`"
    for cookie in response.headers.get("set-cookie", []):
        yield from (f"{where}: {problem}" for problem in _cookie_problems(cookie))


def _cookie_problems(cookie: str) -> Iterator[str]:
    name = cookie.partition("=")[0].strip()
    flags = {part.strip().lower() for part in cookie.split(";")[1:]}
    if "secure" not in flags:
        yield f"cookie {name} is not Secure"
    if "samesite=strict" not in flags:
        yield f"cookie {name} is not SameSite=Strict"
    if "httponly" not in flags and not _READABLE_BY_SCRIPT.search(name):
        yield f"cookie {name} is not HttpOnly"
    if not name.startswith(("__Host-", "__Secure-")):
        yield f"cookie {name} has no __Host- or __Secure- prefix"


def _assert_identity_held(run: Run, identity: str) -> None:
    """The token stayed good through the run: each identity got the answers only it gets."""
    me, admin_users = "GET /api/v1/me", "GET /api/v1/admin/users"
    if identity == "anonymous":
        assert set(run.statuses[me]) == {401}
        assert set(run.statuses[admin_users]) == {401}
    elif identity == "admin":
        assert run.saw(me, 200)
        assert run.saw(admin_users, 200)
    else:
        assert run.saw(me, 200)
        assert run.saw(admin_users, 403)
        assert not run.saw(admin_users, 200)
