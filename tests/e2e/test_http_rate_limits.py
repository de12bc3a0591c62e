"""Login throttling (S30, B6) and API rate limits (S31) over HTTP, on SQLite and PostgreSQL,
and on Redis shared by two app instances."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest
from litestar.testing import AsyncTestClient
from structlog.testing import capture_logs

from project.entrypoints.settings import Environment, Settings
from tests.contract._redis import free_port, redis_namespace
from tests.e2e._http_kit import AUTH, PASSWORD, Client, assert_problem, make_app, register, signup

WRONG = "not the right passphrase"
RATE_HEADERS = ("ratelimit-limit", "ratelimit-remaining", "ratelimit-reset")
SPOOFED = [
    {"X-Forwarded-For": "198.51.100.1"},
    {"X-Forwarded-For": "198.51.100.2, 10.0.0.1"},
    {"X-Real-IP": "198.51.100.3"},
    {"Forwarded": "for=198.51.100.4"},
    {"X-Forwarded-For": "198.51.100.5", "X-Real-IP": "198.51.100.5"},
    {"X-Forwarded-For": "2001:db8::6"},
]


async def _login(
    client: Client, email: str, password: str = WRONG, headers: dict[str, str] | None = None
) -> httpx.Response:
    return await client.post(
        f"{AUTH}/login", json={"email": email, "password": password}, headers=headers
    )


def _limited(response: httpx.Response, limit: int) -> int:
    """The RateLimit-* headers of a counted response; returns what remains."""
    assert response.headers["ratelimit-limit"] == str(limit)
    assert 1 <= int(response.headers["ratelimit-reset"]) <= 60
    return int(response.headers["ratelimit-remaining"])


def _assert_throttled(response: httpx.Response, *, at_most: int) -> None:
    assert_problem(response, 429, "rate_limited")
    assert 1 <= int(response.headers["retry-after"]) <= at_most


@pytest.fixture
async def tiny_limits(app_settings: Settings) -> AsyncIterator[Client]:
    settings = msgspec.structs.replace(
        app_settings,
        login_ip_attempts=3,
        api_user_requests_per_minute=5,
        api_anonymous_requests_per_minute=40,
    )
    async with AsyncTestClient(app=make_app(settings)) as test_client:
        yield test_client


# --- login throttling (S30) ----------------------------------------------------------------


async def test_five_failed_logins_then_429_with_retry_after_known_and_unknown_alike_S30(
    client: Client,
) -> None:
    await register(client, "ann@example.com")
    for email in ("ann@example.com", "nobody@example.com"):
        for _ in range(5):
            assert_problem(await _login(client, email), 401)

    known = await _login(client, "ann@example.com", PASSWORD)
    unknown = await _login(client, "nobody@example.com", PASSWORD)

    _assert_throttled(known, at_most=1)
    _assert_throttled(unknown, at_most=1)
    assert known.json() == unknown.json()
    assert known.headers["retry-after"] == unknown.headers["retry-after"]


async def test_a_throttled_login_is_logged_by_its_owasp_name_without_the_password_S32(
    client: Client,
) -> None:
    for _ in range(5):
        await _login(client, "ann@example.com")
    with capture_logs() as logs:
        response = await _login(client, "ann@example.com")

    assert response.status_code == 429
    events = [entry for entry in logs if entry["event"] == "authn_login_fail_max"]
    assert events
    assert events[0]["retry_after"] == response.headers["retry-after"]
    assert WRONG not in repr(logs)


async def test_B6_spoofed_forwarded_headers_neither_evade_nor_reset_the_account_limit(
    client: Client,
) -> None:
    await register(client, "ann@example.com")
    for headers in SPOOFED[:5]:
        assert_problem(await _login(client, "ann@example.com", headers=headers), 401)

    for headers in SPOOFED:
        refused = await _login(client, "ann@example.com", PASSWORD, headers=headers)
        _assert_throttled(refused, at_most=1)


async def test_B6_spoofed_forwarded_headers_neither_evade_nor_reset_the_address_limit(
    tiny_limits: Client,
) -> None:
    for n, headers in enumerate(SPOOFED[:3]):
        assert_problem(await _login(tiny_limits, f"user{n}@example.com", headers=headers), 401)

    for n, headers in enumerate(SPOOFED):
        refused = await _login(tiny_limits, f"other{n}@example.com", headers=headers)
        _assert_throttled(refused, at_most=15 * 60)
        assert "address" in refused.json()["detail"]


# --- API rate limits (S31) -----------------------------------------------------------------


async def test_the_request_past_a_users_limit_is_429_and_another_user_is_unaffected_S31(
    tiny_limits: Client,
) -> None:
    ann = await signup(tiny_limits, "ann@example.com")
    bob = await signup(tiny_limits, "bob@example.com")
    first = await tiny_limits.get("/api/v1/me", headers=ann.headers)
    left = _limited(first, 5)
    for expected in reversed(range(left)):
        response = await tiny_limits.get("/api/v1/me", headers=ann.headers)
        assert response.status_code == 200
        assert _limited(response, 5) == expected

    with capture_logs() as logs:
        over = await tiny_limits.get("/api/v1/bookmarks", headers=ann.headers)
    other = await tiny_limits.get("/api/v1/me", headers=bob.headers)

    _assert_throttled(over, at_most=60)
    assert _limited(over, 5) == 0
    assert over.headers["retry-after"] == over.headers["ratelimit-reset"]
    assert other.status_code == 200
    assert _limited(other, 5) >= 1
    assert [entry["event"] for entry in logs] == ["excess_rate_limit"]
    assert ann.access_token not in repr(logs)


async def test_a_personal_api_token_has_its_own_count_S31(tiny_limits: Client) -> None:
    ann = await signup(tiny_limits, "ann@example.com")
    created = await tiny_limits.post(
        "/api/v1/tokens", json={"name": "script", "scopes": ["read"]}, headers=ann.headers
    )
    assert created.status_code == 201, created.text
    token = {"Authorization": f"Bearer {created.json()['secret']}"}

    with_token = await tiny_limits.get("/api/v1/me", headers=token)
    with_session = await tiny_limits.get("/api/v1/me", headers=ann.headers)

    assert _limited(with_token, 5) == 4
    assert _limited(with_session, 5) < 4


async def test_anonymous_requests_count_per_address_and_health_checks_not_at_all_S31(
    app_settings: Settings,
) -> None:
    settings = msgspec.structs.replace(app_settings, api_anonymous_requests_per_minute=2)
    async with AsyncTestClient(app=make_app(settings)) as client:
        answers = [
            await client.post(f"{AUTH}/refresh", json={"refresh_token": "rt_nothing"})
            for _ in range(3)
        ]
        health = [await client.get("/health/live") for _ in range(5)]

    assert [_limited(answer, 2) for answer in answers] == [1, 0, 0]
    assert_problem(answers[0], 401)
    _assert_throttled(answers[2], at_most=60)
    assert all(answer.status_code == 200 for answer in health)
    assert not any(name in answer.headers for answer in health for name in RATE_HEADERS)


# --- shared across processes, and Redis down ------------------------------------------------


def _redis_settings(tmp_path: Path, redis_url: str, **extra: Any) -> Settings:
    return Settings(
        env=Environment.TEST,
        data_dir=tmp_path / "data",
        redis_url=redis_url,
        worker_in_app=False,
        archive_on_save=False,
        **extra,
    ).resolve()


async def test_two_instances_on_one_redis_namespace_share_the_limits_S30_S31(
    tmp_path: Path,
) -> None:
    async with redis_namespace() as namespace:
        settings = _redis_settings(
            tmp_path,
            namespace.url,
            redis_prefix=namespace.prefix,
            api_user_requests_per_minute=6,
        )
        app_a, app_b = make_app(settings), make_app(settings)
        async with AsyncTestClient(app=app_a) as a, AsyncTestClient(app=app_b) as b:
            ann = await signup(a, "ann@example.com")
            remaining = [
                _limited(await instance.get("/api/v1/me", headers=ann.headers), 6)
                for instance in (b, a, b)
            ]
            while remaining[-1] > 0:
                remaining.append(_limited(await a.get("/api/v1/me", headers=ann.headers), 6))
            over = await b.get("/api/v1/me", headers=ann.headers)

            for instance in (a, b, a, b, a):
                assert_problem(await _login(instance, "bob@example.com"), 401)
            throttled = await _login(b, "bob@example.com")
        keys = [key async for key in namespace.client.scan_iter(match=f"{namespace.prefix}*")]

    assert remaining == sorted(remaining, reverse=True)
    assert len(set(remaining)) == len(remaining)  # every request counted once, wherever
    _assert_throttled(over, at_most=60)
    _assert_throttled(throttled, at_most=1)
    assert not any(b"bob" in key for key in keys)  # account keys are digests


async def test_with_redis_unreachable_the_limits_fail_open_R2(tmp_path: Path) -> None:
    settings = _redis_settings(
        tmp_path, f"redis://127.0.0.1:{free_port()}/0", api_user_requests_per_minute=1
    )
    async with AsyncTestClient(app=make_app(settings)) as client:
        ann = await signup(client, "ann@example.com")
        answers = [await client.get("/api/v1/me", headers=ann.headers) for _ in range(3)]
        for _ in range(6):
            await _login(client, "ann@example.com")
        login = await _login(client, "ann@example.com", PASSWORD)

    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert login.status_code == 200
