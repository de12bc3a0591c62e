"""Allowed hosts (S33): a production instance answers only to its own names."""

from __future__ import annotations

from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from project.entrypoints.settings import Environment, Settings
from tests.e2e._http_kit import assert_problem, make_app

STRONG = "q8Zr2mX0pLwV7yT4nB6cK1dF9gH3jS5aE0uI2oR8tY4"


@pytest.fixture
def production(tmp_path: Path) -> Settings:
    return Settings(
        env=Environment.PRODUCTION,
        data_dir=tmp_path / "data",
        secret_key=STRONG,
        public_url="https://bm.example",
        auto_migrate=True,
        worker_in_app=False,
    ).resolve()


@pytest.mark.parametrize("host", ["evil.example", "bm.example.evil.example", "", "[::1]"])
async def test_S33_a_production_instance_refuses_a_foreign_host_header(
    production: Settings, host: str
) -> None:
    async with AsyncTestClient(make_app(production), base_url="https://bm.example") as client:
        response = await client.get("/api/v1/me", headers={"Host": host})
        assert_problem(response, 400, "invalid_host")
        # Its own name gets through to authentication, with or without a port.
        for own in ("bm.example", "BM.example:443"):
            response = await client.get("/api/v1/me", headers={"Host": own})
            assert_problem(response, 401)


async def test_S33_wildcard_entries_cover_subdomains_only(production: Settings) -> None:
    production.allowed_hosts = ["*.bm.example"]
    async with AsyncTestClient(make_app(production), base_url="https://a.bm.example") as client:
        allowed = await client.get("/api/v1/me", headers={"Host": "a.bm.example"})
        assert_problem(allowed, 401)  # through to authentication
        refused = await client.get("/api/v1/me", headers={"Host": "abm.example"})
        assert_problem(refused, 400, "invalid_host")


async def test_S33_health_checks_answer_whatever_the_host(production: Settings) -> None:
    """Load balancers probe by address; the health routes build no links from the Host."""
    async with AsyncTestClient(make_app(production), base_url="https://bm.example") as client:
        for path in ("/health/live", "/health/ready"):
            response = await client.get(path, headers={"Host": "10.0.0.5:8000"})
            assert response.status_code == 200, response.text
