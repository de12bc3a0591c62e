"""Health probes and the OpenAPI document."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

from litestar.routes import HTTPRoute
from litestar.testing import AsyncTestClient

from project.entrypoints.settings import Environment, Settings
from tests.e2e._http_kit import Client, assert_problem, make_app

DOCS_PREFIX = "/schema"


async def test_live_and_ready_answer_200(client: Client) -> None:
    live = await client.get("/health/live")
    assert live.status_code == 200
    assert live.json()["status"] == "ok"
    ready = await client.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "checks": {"database": "ok", "files": "ok"}}


async def test_ready_is_503_naming_the_database_when_it_is_unreachable(tmp_path: Path) -> None:
    settings = Settings(
        env=Environment.TEST,
        data_dir=tmp_path,
        database_url=f"sqlite:///{tmp_path / 'missing-dir' / 'project.db'}",
        auto_migrate=False,
    ).resolve()
    async with AsyncTestClient(app=make_app(settings)) as client:
        assert (await client.get("/health/live")).status_code == 200
        ready = await client.get("/health/ready")
    assert_problem(ready, 503, "service_unavailable")
    assert "database" in ready.json()["detail"].lower()
    assert ready.json()["checks"] == {"database": "unavailable", "files": "ok"}


async def test_openapi_lists_every_route_and_documents_problems(client: Client) -> None:
    response = await client.get(f"{DOCS_PREFIX}/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["info"]["title"] == "project"
    assert document["info"]["version"] == version("project")
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert document["security"] == [{"bearer": []}]

    documented = {
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    }
    served = {
        (method, _openapi_path(route.path))
        for route in client.app.routes
        if isinstance(route, HTTPRoute) and not route.path.startswith(DOCS_PREFIX)
        for handler in route.route_handlers
        # Operators' routes (/metrics) are left out of the API document on purpose.
        if handler.resolve_include_in_schema()
        for method in handler.http_methods - {"OPTIONS", "HEAD"}
    }
    assert documented == served
    assert ("GET", "/metrics") not in documented

    login = document["paths"]["/api/v1/auth/login"]["post"]
    assert login["security"] == [{}]
    problem = login["responses"]["401"]["content"]["application/problem+json"]["schema"]
    assert problem == {"$ref": "#/components/schemas/Problem"}
    assert "security" not in document["paths"]["/api/v1/me"]["get"]


def _openapi_path(path: str) -> str:
    """Litestar's `{id:uuid}` is OpenAPI's `{id}`."""
    parts = [part.split(":")[0] + "}" if part.startswith("{") else part for part in path.split("/")]
    return "/".join(parts)
