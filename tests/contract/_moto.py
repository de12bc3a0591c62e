"""A moto S3 server in its own process, spoken to over HTTP like a real endpoint.

Fixture `moto_s3` starts `python -m moto.server` on a free port once per session and stops it
at the end. If it cannot start, the tests that need it skip, except under `CI=true`, where
they fail. Clients get explicit dummy credentials, so no profile or environment of the
machine running the tests can leak in.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

import httpx
import pytest

from project.adapters.s3 import S3BlobStore

HOST = "127.0.0.1"
REGION = "us-east-1"
STARTUP_TIMEOUT = 30.0


@dataclass(frozen=True)
class MotoS3:
    endpoint_url: str
    region: str = REGION
    access_key_id: str = "testing"
    secret_access_key: str = "testing"


async def create_bucket(moto: MotoS3, name: str) -> str:
    """Make the bucket `name` on the moto server (it may exist already); returns the name."""
    async with await S3BlobStore.open(
        bucket=name,
        endpoint_url=moto.endpoint_url,
        region=moto.region,
        access_key_id=moto.access_key_id,
        secret_access_key=moto.secret_access_key,
    ) as store:
        await store.ensure_bucket()
    return name


def free_port() -> int:
    """A port that nothing listens on (for now)."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_until_answering(process: subprocess.Popen[bytes], url: str) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"moto server exited with status {process.returncode}")
        try:
            if httpx.get(url, timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"moto server did not answer at {url} within {STARTUP_TIMEOUT} s")


def _start(log: IO[bytes]) -> tuple[subprocess.Popen[bytes], str]:
    if importlib.util.find_spec("moto.server") is None:
        raise RuntimeError("moto[server] is not installed")
    port = free_port()
    url = f"http://{HOST}:{port}"
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", HOST, "-p", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    try:
        _wait_until_answering(process, url)
    except BaseException:
        _stop(process)
        raise
    return process, url


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def moto_s3() -> Iterator[MotoS3]:
    # A file, not a pipe, for the request log: a full pipe would stall the server.
    with tempfile.TemporaryFile() as log:
        try:
            process, url = _start(log)
        except (OSError, RuntimeError) as error:
            log.seek(0)
            message = f"moto S3 server failed to start: {error}\n{log.read()[-2000:].decode()}"
            if os.environ.get("CI", "").lower() == "true":
                pytest.fail(f"{message}\n(CI=true: the S3 tests must run)", pytrace=False)
            pytest.skip(message)
        try:
            yield MotoS3(endpoint_url=url)
        finally:
            _stop(process)
