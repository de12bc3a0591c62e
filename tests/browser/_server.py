"""A real `project serve` process for the browser tests, and a user who archives a page.

Embedded SQLite in its own data directory, the in-app archive worker on, loopback fetching
allowed; uvicorn's access log (one line per request) is kept to show what reached the app.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

CONSOLE_SCRIPT = Path(sys.executable).parent / "project"
PASSWORD = "a long enough passphrase 42"
READY_SECONDS = 30.0
ARCHIVE_SECONDS = 30.0
_REQUEST_LINE = re.compile(r'"([A-Z]+) (\S+) HTTP/[0-9.]+"')


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class AppServer:
    """`project serve` on a free loopback port; `origin` is also its public URL."""

    def __init__(self, data_dir: Path, log: Path) -> None:
        self.port = _free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        self.data_dir, self.log = data_dir, log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, fetch_port: int) -> None:
        environ = {k: v for k, v in os.environ.items() if not k.startswith("PROJECT_")} | {
            "PYTHONUNBUFFERED": "1",
            "PROJECT_DATA_DIR": str(self.data_dir),
            "PROJECT_PUBLIC_URL": self.origin,
            "PROJECT_WORKER_IN_APP": "true",
            "PROJECT_FETCH_ALLOWED_NETWORKS": "127.0.0.0/8",
            "PROJECT_FETCH_ALLOWED_PORTS": str(fetch_port),
            "PROJECT_LOG_LEVEL": "INFO",
        }
        command = [str(CONSOLE_SCRIPT), "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                command, env=environ, stdout=out, stderr=subprocess.STDOUT
            )

    async def wait_ready(self) -> None:
        async with httpx.AsyncClient(base_url=self.origin, timeout=2) as http:
            for _ in range(int(READY_SECONDS * 10)):
                assert self.process is not None
                assert self.process.poll() is None, self.log_text()
                try:
                    if (await http.get("/health/ready")).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
        raise AssertionError(f"`project serve` not ready in {READY_SECONDS} s: {self.log_text()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def log_size(self) -> int:
        return self.log.stat().st_size

    def log_since(self, offset: int) -> str:
        with self.log.open("rb") as log:
            log.seek(offset)
            return log.read().decode(errors="replace")

    def requests_since(self, offset: int) -> list[tuple[str, str]]:
        """(method, path with query) of every request logged after `offset` bytes."""
        return _REQUEST_LINE.findall(self.log_since(offset))


async def archived_snapshot_url(origin: str, page_url: str) -> str:
    """Sign up, bookmark `page_url`, wait for the worker to archive it; the signed URL."""
    async with httpx.AsyncClient(base_url=origin, timeout=10) as http:
        account = {"email": "ann@example.com", "password": PASSWORD}
        registered = await http.post("/api/v1/auth/register", json=account)
        assert registered.status_code == 201, registered.text
        login = await http.post("/api/v1/auth/login", json=account)
        assert login.status_code == 200, login.text
        auth = {"Authorization": f"Bearer {login.json()['access_token']}"}
        created = await http.post("/api/v1/bookmarks", json={"url": page_url}, headers=auth)
        assert created.status_code == 201, created.text
        bookmark = await _settled(http, auth, str(created.json()["id"]))
        assert bookmark["archive_status"] == "archived", bookmark
        snapshot = await http.get(f"/api/v1/bookmarks/{bookmark['id']}/snapshot", headers=auth)
        assert snapshot.status_code == 307, snapshot.text
        location = snapshot.headers["location"]
        return location if location.startswith("http") else origin + location


async def _settled(http: httpx.AsyncClient, auth: dict[str, str], id: str) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for _ in range(int(ARCHIVE_SECONDS * 10)):
        body = (await http.get(f"/api/v1/bookmarks/{id}", headers=auth)).json()
        if body["archive_status"] in ("archived", "failed"):
            return body
        await asyncio.sleep(0.1)
    raise AssertionError(f"archiving did not finish in {ARCHIVE_SECONDS} s: {body}")
