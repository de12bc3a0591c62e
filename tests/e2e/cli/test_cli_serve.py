"""`project serve` end to end: a real server process, driven over HTTP, stopped with SIGTERM."""

from __future__ import annotations

import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
from sqlalchemy.engine import make_url

if TYPE_CHECKING:  # conftest is pytest's to import; only its type is borrowed here
    from conftest import Cli, MakeCli

READY_TIMEOUT = 20.0
STOP_TIMEOUT = 20.0
PASSWORD = "a long passphrase 123"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Server:
    def __init__(self, cli: Cli, logs: Path) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.stdout, self.stderr = logs / "serve.out", logs / "serve.err"
        with self.stdout.open("w") as out, self.stderr.open("w") as err:
            self.process = subprocess.Popen(
                [str(cli.script), "serve", "--host", "127.0.0.1", "--port", str(self.port)],
                stdout=out,
                stderr=err,
                env=cli.environ(PROJECT_LOG_LEVEL="INFO"),
            )

    def wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.stderr.read_text()
            try:
                if httpx.get(f"{self.base}/health/ready", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        pytest.fail(f"not ready in {READY_TIMEOUT} s: {self.stderr.read_text()}")

    def stop(self) -> None:
        """SIGTERM; uvicorn shuts the app down, then exits by re-raising the signal."""
        assert self.process.poll() is None, self.stderr.read_text()
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise
        assert code in (0, -signal.SIGTERM), self.stderr.read_text()
        log = self.stderr.read_text()
        assert "Application shutdown complete." in log
        assert "Traceback" not in log


@pytest.fixture
def server(sqlite_cli: Cli, tmp_path: Path) -> Iterator[Server]:
    running = Server(sqlite_cli, tmp_path)
    try:
        yield running
    finally:
        if running.process.poll() is None:
            running.process.kill()
            running.process.wait()


def _login(http: httpx.Client, email: str, password: str = PASSWORD) -> dict[str, str]:
    answer = http.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert answer.status_code == 200, answer.text
    pair: dict[str, str] = answer.json()
    return pair


def _bearer(pair: dict[str, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {pair['access_token']}"}


def test_serve_creates_the_database_and_runs_the_auth_flow(
    server: Server, sqlite_cli: Cli, tmp_path: Path
) -> None:
    data_dir = Path(sqlite_cli.settings["PROJECT_DATA_DIR"])
    assert not data_dir.exists()  # fresh: serve creates and upgrades the embedded database
    server.wait_ready()
    assert (data_dir / "project.db").exists()

    with httpx.Client(base_url=server.base, timeout=10) as http:
        registered = http.post(
            "/api/v1/auth/register", json={"email": "ann@example.com", "password": PASSWORD}
        )
        assert registered.status_code == 201, registered.text

        first = _login(http, "ann@example.com")
        me = http.get("/api/v1/me", headers=_bearer(first))
        assert me.status_code == 200, me.text
        assert me.json()["email"] == "ann@example.com"

        refreshed = http.post(
            "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
        )
        assert refreshed.status_code == 200, refreshed.text
        second = refreshed.json()
        assert second["refresh_token"] != first["refresh_token"]
        assert http.get("/api/v1/me", headers=_bearer(second)).status_code == 200

        replayed = http.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
        assert replayed.status_code == 401
        # Reuse revoked the whole session: the newer refresh token and access token die too.
        newer = http.post("/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]})
        assert newer.status_code == 401
        assert http.get("/api/v1/me", headers=_bearer(second)).status_code == 401

        third = _login(http, "ann@example.com")
        assert http.post("/api/v1/auth/logout", headers=_bearer(third)).status_code == 204
        assert http.get("/api/v1/me", headers=_bearer(third)).status_code == 401

        made = sqlite_cli(
            "users",
            "create",
            "admin2@example.com",
            "--admin",
            "--password-stdin",
            input=PASSWORD + "\n",
        )
        assert made.returncode == 0, made.stderr
        admin = _login(http, "admin2@example.com")
        me = http.get("/api/v1/me", headers=_bearer(admin))
        assert me.json()["role"] == "admin"

    server.stop()
    started = server.stdout.read_text().splitlines()[0]
    assert started == (
        f"project: serving on {server.base} "
        f"(database sqlite+aiosqlite:///{(data_dir / 'project.db').resolve()})"
    )


@pytest.mark.postgres
def test_serve_on_postgresql_prints_the_url_masked(
    make_cli: MakeCli, migrated_postgres_url: str, tmp_path: Path
) -> None:
    # Trust authentication ignores the password, so one can be shown to be masked.
    with_password = make_url(migrated_postgres_url).set(password="secretpw")
    url = with_password.render_as_string(hide_password=False)
    server = Server(make_cli(PROJECT_DATABASE_URL=url), tmp_path)
    try:
        server.wait_ready()
    finally:
        server.stop()
    output = server.stdout.read_text() + server.stderr.read_text()
    assert "secretpw" not in output
    assert f"postgres:***@{with_password.host}" in output.splitlines()[0]


def test_serve_refuses_a_bad_setting_in_one_line(make_cli: MakeCli) -> None:
    cli = make_cli(PROJECT_PUBLIC_URL="ftp://nope")
    done = cli("serve", "--port", str(_free_port()))
    assert done.returncode == 3
    assert "PROJECT_PUBLIC_URL" in cli.error_line(done)


@pytest.mark.parametrize(("trusted", "seen"), [("127.0.0.1", "203.0.113.7"), (None, "127.0.0.1")])
def test_x_forwarded_for_is_believed_only_from_a_configured_proxy_S33(
    make_cli: MakeCli, tmp_path: Path, trusted: str | None, seen: str
) -> None:
    settings = {"PROJECT_TRUSTED_PROXIES": trusted} if trusted else {}
    running = Server(make_cli(**settings), tmp_path)
    try:
        running.wait_ready()
        with httpx.Client(base_url=running.base, timeout=10) as http:
            http.post(
                "/api/v1/auth/register", json={"email": "ann@example.com", "password": PASSWORD}
            )
            answer = http.post(
                "/api/v1/auth/login",
                json={"email": "ann@example.com", "password": PASSWORD},
                headers={"X-Forwarded-For": "203.0.113.7"},
            )
            sessions = http.get("/api/v1/auth/sessions", headers=_bearer(answer.json()))
        running.stop()
    finally:
        if running.process.poll() is None:
            running.process.kill()
            running.process.wait()

    assert [s["ip"] for s in sessions.json()["items"]] == [seen]
