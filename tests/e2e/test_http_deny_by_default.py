"""Deny by default (S14): the public routes are a reviewed list; everything else needs a login.

Both tests read the app's own route table, so a new route is covered the day it is added:
either it answers 401 to anonymous callers, or someone adds it to PUBLIC_ROUTES here.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

from litestar import Litestar
from litestar.routes import HTTPRoute

from tests.e2e._http_kit import Client, assert_problem

PUBLIC_ROUTES = {
    ("POST", "/api/v1/auth/register"),
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/refresh"),
    # Browser mode: the CSRF cookie, and the two calls that open or renew a cookie session.
    ("GET", "/api/v1/auth/browser/csrf"),
    ("POST", "/api/v1/auth/browser/login"),
    ("POST", "/api/v1/auth/browser/refresh"),
    ("POST", "/api/v1/auth/password-reset/request"),
    ("POST", "/api/v1/auth/password-reset/confirm"),
    ("GET", "/api/v1/public/collections/{slug:str}"),
    # Judged by the socket peer's network instead (PROJECT_METRICS_ALLOWED_NETWORKS).
    ("GET", "/metrics"),
    ("GET", "/health/live"),
    ("GET", "/health/ready"),
    ("GET", "/schema"),
    ("GET", "/schema/scalar"),
    ("GET", "/schema/openapi.json"),
    ("GET", "/schema/{path:str}"),
    # The signature in the URL is the credential (S24).
    ("GET", "/blobs/{key:path}"),
    # The browser app: its entry page on every client route, and its hashed assets.
    ("GET", "/"),
    ("GET", "/{path:path}"),
    ("GET", "/assets/{file_path:path}"),
    ("HEAD", "/assets/{file_path:path}"),
}
# CORS preflights carry no credentials by design; Litestar answers them with `Allow` only.
_UNAUTHENTICATED_METHODS = {"OPTIONS"}
_PARAM = re.compile(r"\{(\w+):(\w+)\}")


def _routes(app: Litestar) -> Iterator[tuple[str, str, bool]]:
    """(method, path, public) for every handler of every HTTP route."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            for method in sorted(handler.http_methods - _UNAUTHENTICATED_METHODS):
                yield method, route.path, bool(handler.opt.get("public"))


def _concrete(path: str) -> str:
    samples = {"uuid": str(uuid.uuid4()), "int": "1"}
    return _PARAM.sub(lambda match: samples.get(match.group(2), "x"), path)


async def test_the_public_routes_are_exactly_the_reviewed_allowlist_S14(client: Client) -> None:
    public = {(method, path) for method, path, is_public in _routes(client.app) if is_public}
    assert public == PUBLIC_ROUTES


async def test_every_other_route_answers_401_to_anonymous_callers_S14(client: Client) -> None:
    private = [(m, p) for m, p, is_public in _routes(client.app) if not is_public]
    assert len(private) >= 15
    for method, path in private:
        for headers in (
            {},
            {"Authorization": "Bearer not-a-token"},
            {"Authorization": "Basic eDp5"},
        ):
            response = await client.request(method, _concrete(path), headers=headers)
            assert response.status_code == 401, (method, path, headers, response.text)
            assert_problem(response, 401, "authentication_failed")
