"""Redis for the contract suites: the shared test server, and private servers to stop.

The shared server defaults to redis://127.0.0.1:6379/0; `PROJECT_TEST_REDIS_URL` names
another. When it cannot be reached the tests that need it skip, except under `CI=true`,
where they fail: CI must never pass by skipping the production cache. Each user of the
server gets its own `project-test:<hex>:` key prefix, whose keys are deleted afterwards.

Test modules import the fixtures by their function names (`redis_url_fixture`, ...) and
request them by their fixture names (`redis_url`, ...), so no parameter shadows an import.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit

import pytest
import redis.asyncio
from redis.exceptions import RedisError

from project.adapters.redis import check_redis, create_redis

DEFAULT_URL = "redis://127.0.0.1:6379/0"
# url -> why it is unreachable, or None once it answered; checked once per session.
_reachability: dict[str, str | None] = {}


def _unavailable(message: str) -> NoReturn:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message} (CI=true: the Redis tests must run)", pytrace=False)
    pytest.skip(message)


async def reachable_redis_url() -> str:
    """The URL of the shared test server; skips (or fails under CI=true) when it is down."""
    url = os.environ.get("PROJECT_TEST_REDIS_URL", DEFAULT_URL)
    if url not in _reachability:
        _reachability[url] = await _problem(url)
    if (problem := _reachability[url]) is not None:
        where = urlsplit(url)
        _unavailable(f"Redis at {where.hostname}:{where.port} is unreachable: {problem}")
    return url


async def _problem(url: str) -> str | None:
    client = create_redis(url)
    try:
        await check_redis(client)
    except (RedisError, OSError) as error:
        return f"{type(error).__name__}: {error}"
    finally:
        await client.aclose()
    return None


@dataclass(frozen=True)
class RedisNamespace:
    url: str
    client: redis.asyncio.Redis
    prefix: str


@asynccontextmanager
async def redis_namespace() -> AsyncIterator[RedisNamespace]:
    """A client on the shared server and a fresh key prefix, whose keys are deleted after."""
    url = await reachable_redis_url()
    client = create_redis(url)
    prefix = f"project-test:{secrets.token_hex(8)}:"
    try:
        yield RedisNamespace(url, client, prefix)
    finally:
        # SAQ names its keys `saq:<queue>...` and `saq:job:<queue>...`: match anywhere.
        keys = [key async for key in client.scan_iter(match=f"*{prefix}*", count=1000)]
        if keys:
            await client.delete(*keys)
        await client.aclose()


@pytest.fixture(name="redis_url", scope="session")
async def redis_url_fixture() -> str:
    return await reachable_redis_url()


@pytest.fixture(name="redis_prefix")
async def redis_prefix_fixture(redis_url: str) -> AsyncIterator[str]:
    """A fresh `project-test:<hex>:` prefix; every key under it is deleted after the test."""
    async with redis_namespace() as namespace:
        yield namespace.prefix


@pytest.fixture(name="redis_client")
async def redis_client_fixture(redis_url: str) -> AsyncIterator[redis.asyncio.Redis]:
    client = create_redis(redis_url)
    yield client
    await client.aclose()


def free_port() -> int:
    """A TCP port nothing listens on (free when asked; nothing here will take it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


class PrivateRedisServer:
    """A `redis-server` of a test's own, on a fixed port, to stop and start again."""

    def __init__(self, binary: str, port: int, directory: Path) -> None:
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self._binary = binary
        self._directory = directory
        self._process: asyncio.subprocess.Process | None = None

    @classmethod
    def on_free_port(cls, directory: Path) -> PrivateRedisServer:
        binary = shutil.which("redis-server")
        if binary is None:
            _unavailable("redis-server is not installed")
        return cls(binary, free_port(), directory)

    async def start(self) -> None:
        self._process = await asyncio.create_subprocess_exec(
            self._binary,
            *("--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self._directory)),
            *("--save", "", "--appendonly", "no", "--daemonize", "no"),
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        await self._until_ready()

    async def stop(self) -> None:
        if self._process is None or self._process.returncode is not None:
            return
        self._process.terminate()
        await asyncio.wait_for(self._process.wait(), timeout=10)

    async def _until_ready(self) -> None:
        for _ in range(100):
            if await _problem(self.url) is None:
                return
            await asyncio.sleep(0.05)
        await self.stop()
        raise RuntimeError(f"redis-server on port {self.port} did not start")
