"""Archiving through an S3 outage (R4): jobs retry with backoff and finish once S3 is back,
and nothing is marked archived that is not stored."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from litestar.testing import AsyncTestClient

from project.entrypoints.settings import Environment, Settings
from tests.contract._moto import HOST, MotoS3, create_bucket, free_port
from tests.e2e._http_kit import make_app, signup
from tests.e2e._site import Site, serving

BUCKET = "outage"


class _Moto:
    """A moto S3 server of this test's own, on a fixed port, to stop and start again."""

    def __init__(self, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self._log = log
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self._log.open("ab") as log:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "moto.server", "-H", HOST, "-p", str(self.port)],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        for _ in range(300):
            try:
                if httpx.get(self.url, timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise RuntimeError("moto did not start")

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=10)


@pytest.fixture
def moto(tmp_path: Path) -> Iterator[_Moto]:
    server = _Moto(tmp_path / "moto.log")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def site() -> Iterator[Site]:
    with serving() as running:
        yield running


async def _make_bucket(url: str) -> None:
    await create_bucket(MotoS3(endpoint_url=url), BUCKET)


async def test_an_s3_outage_delays_archiving_which_finishes_when_s3_returns_R4(
    tmp_path: Path, site: Site, moto: _Moto, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    await _make_bucket(moto.url)
    settings = Settings(
        env=Environment.TEST,
        data_dir=tmp_path / "data",
        s3_bucket=BUCKET,
        s3_endpoint_url=moto.url,
        s3_region="us-east-1",
        fetch_allowed_networks=["127.0.0.0/8"],
        fetch_allowed_ports=[site.port],
        archive_retry_base_seconds=1.0,
    ).resolve()
    async with AsyncTestClient(app=make_app(settings)) as client:
        ann = await signup(client, "ann@example.com")
        moto.stop()
        created = await client.post(
            "/api/v1/bookmarks", json={"url": site.url("/article")}, headers=ann.headers
        )
        bookmark_id = created.json()["id"]
        await asyncio.sleep(3)  # the first attempts fail against the dead endpoint
        during: dict[str, Any] = (
            await client.get(f"/api/v1/bookmarks/{bookmark_id}", headers=ann.headers)
        ).json()

        moto.start()
        await _make_bucket(moto.url)  # moto keeps nothing: the returning S3 is empty
        for _ in range(300):
            after: dict[str, Any] = (
                await client.get(f"/api/v1/bookmarks/{bookmark_id}", headers=ann.headers)
            ).json()
            if after["archive_status"] != "pending":
                break
            await asyncio.sleep(0.1)
        redirect = await client.get(
            after["snapshot_url"] or "/", headers=ann.headers, follow_redirects=False
        )
        # The app serves S3 objects itself, sandboxed (S24): never a presigned bucket URL.
        location = urlsplit(redirect.headers["location"])
        assert location.path.startswith("/blobs/")
        snapshot = await client.get(f"{location.path}?{location.query}")

    assert during["archive_status"] == "pending"
    assert during["snapshot_url"] is None
    assert after["archive_status"] == "archived", after
    assert snapshot.status_code == 200  # it is stored
    assert b"zanzibarite" in snapshot.content
    assert snapshot.headers["content-security-policy"].startswith("sandbox")
