"""The app on Redis (R2, S5): it keeps answering without Redis, says so in readiness, fails
closed in production, recovers by itself, and shares the session denylist between instances.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from pathlib import Path
from uuid import UUID

import pytest
from litestar.testing import AsyncTestClient

from project.adapters.redis import RedisSessionDenylist
from project.domain.model.ids import SessionId
from project.domain.model.registration import RegistrationMode
from project.entrypoints.settings import Environment, Settings
from tests.contract._redis import (
    PrivateRedisServer,
    free_port,
    redis_namespace,
    redis_url_fixture,  # noqa: F401 - the `redis_url` fixture
)
from tests.e2e._http_kit import AUTH, Client, assert_problem, make_app, signup

SECRET = secrets.token_urlsafe(48)


def _settings(tmp_path: Path, redis_url: str, **extra: object) -> Settings:
    return Settings(
        env=extra.pop("env", Environment.TEST),  # type: ignore[arg-type]
        data_dir=tmp_path / "data",
        redis_url=redis_url,
        **extra,  # type: ignore[arg-type]
    ).resolve()


async def _eventually_ready(client: Client, attempts: int = 50) -> bool:
    for _ in range(attempts):
        if (await client.get("/health/ready")).status_code == 200:
            return True
        await asyncio.sleep(0.1)
    return False


@pytest.fixture
async def private_redis(tmp_path: Path) -> AsyncIterator[PrivateRedisServer]:
    server = PrivateRedisServer.on_free_port(tmp_path)
    await server.start()
    yield server
    await server.stop()


async def test_with_redis_unreachable_the_app_answers_and_ready_names_redis_R2(
    tmp_path: Path,
) -> None:
    settings = _settings(tmp_path, f"redis://127.0.0.1:{free_port()}/0")
    async with AsyncTestClient(app=make_app(settings)) as client:
        ann = await signup(client, "ann@example.com")
        me = await client.get("/api/v1/me", headers=ann.headers)
        ready = await client.get("/health/ready")

    assert me.status_code == 200
    assert_problem(ready, 503, "service_unavailable")
    assert ready.json()["checks"] == {"database": "ok", "files": "ok", "redis": "unavailable"}
    assert "redis" in ready.json()["detail"]


async def test_in_production_a_down_redis_makes_the_denylist_reject_every_token_R2(
    tmp_path: Path,
) -> None:
    settings = _settings(
        tmp_path,
        f"redis://127.0.0.1:{free_port()}/0",
        env=Environment.PRODUCTION,
        secret_key=SECRET,
        public_url="https://bookmarks.example.com",
        registration=RegistrationMode.OPEN,
    )
    async with AsyncTestClient(
        app=make_app(settings), base_url="https://bookmarks.example.com"
    ) as client:
        await client.post(
            f"{AUTH}/register",
            json={"email": "ann@example.com", "password": "a long enough passphrase 42"},
        )
        pair = await client.post(
            f"{AUTH}/login",
            json={"email": "ann@example.com", "password": "a long enough passphrase 42"},
        )
        me = await client.get(
            "/api/v1/me", headers={"Authorization": f"Bearer {pair.json()['access_token']}"}
        )

    assert pair.status_code == 200
    assert_problem(me, 401)


async def test_a_redis_stopped_mid_test_degrades_the_app_which_recovers_when_it_returns_R2(
    tmp_path: Path, private_redis: PrivateRedisServer
) -> None:
    settings = _settings(tmp_path, private_redis.url)
    async with AsyncTestClient(app=make_app(settings)) as client:
        ann = await signup(client, "ann@example.com")
        assert (await client.get("/health/ready")).status_code == 200

        await private_redis.stop()
        during = await client.get("/api/v1/me", headers=ann.headers)
        ready_during = await client.get("/health/ready")

        await private_redis.start()
        recovered = await _eventually_ready(client)
        after = await client.get("/api/v1/me", headers=ann.headers)

    assert during.status_code == 200  # the denylist fails open outside production
    assert ready_during.json()["checks"]["redis"] == "unavailable"
    assert recovered
    assert after.status_code == 200


async def test_logout_through_one_instance_is_rejected_by_another_sharing_redis_S5(
    tmp_path: Path, redis_url: str
) -> None:
    async with redis_namespace() as namespace:
        # Two instances: one data directory (database, secret), one Redis namespace.
        settings = _settings(tmp_path, redis_url, redis_prefix=namespace.prefix)
        app_a, app_b = make_app(settings), make_app(settings)
        async with AsyncTestClient(app=app_a) as a, AsyncTestClient(app=app_b) as b:
            ann = await signup(a, "ann@example.com")
            before = await b.get("/api/v1/me", headers=ann.headers)

            await a.post(f"{AUTH}/logout", headers=ann.headers)
            after = await b.get("/api/v1/me", headers=ann.headers)
        # What any instance on this Redis namespace now reads for the session:
        shared = RedisSessionDenylist(namespace.client, namespace.prefix, fail_closed=False)
        denied_in_redis = await shared.is_denied(SessionId(UUID(ann.session_id)))

    assert before.status_code == 200
    assert_problem(after, 401)
    assert denied_in_redis is True
