"""`project serve` end to end: a real server process, driven over HTTP, stopped with SIGTERM."""

from __future__ import annotations

import asyncio
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
from sqlalchemy.engine import make_url
from tests._certificates import self_signed
from tests.contract._redis import reachable_redis_url, redis_namespace
from tests.e2e.cli._server import Server, free_port

if TYPE_CHECKING:  # conftest is pytest's to import; only its type is borrowed here
    from conftest import Cli, MakeCli

PASSWORD = "a long passphrase 123"


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
        f"project: serving on {server.base} with 1 worker "
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
    done = cli("serve", "--port", str(free_port()))
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


def test_serve_speaks_https_itself_and_then_sends_hsts_S29(sqlite_cli: Cli, tmp_path: Path) -> None:
    cert, key = self_signed(tmp_path)
    args = ("--ssl-certfile", str(cert), "--ssl-keyfile", str(key))
    trusted = ssl.create_default_context(cafile=str(cert))
    running = Server(sqlite_cli, tmp_path, *args, scheme="https", verify=trusted)
    try:
        running.wait_ready()
        with httpx.Client(base_url=running.base, timeout=10, verify=trusted) as https:
            for path in ("/health/live", "/api/v1/me"):  # a success and a 401 problem
                answer = https.get(path)
                assert answer.headers["strict-transport-security"].startswith("max-age=31536000")
        plain = running.base.replace("https://", "http://")
        with pytest.raises(httpx.TransportError):
            httpx.get(f"{plain}/health/live", timeout=2)  # no plain http beside it
        running.stop()
    finally:
        if running.process.poll() is None:
            running.process.kill()
            running.process.wait()
    assert running.stdout.read_text().startswith(f"project: serving on {running.base} ")


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (("--ssl-certfile", "cert.pem"), "--ssl-certfile and --ssl-keyfile go together"),
        (("--ssl-certfile", "missing.pem", "--ssl-keyfile", "missing.key"), "not a readable file"),
    ],
)
def test_serve_refuses_incomplete_tls_options_in_one_line(
    make_cli: MakeCli, args: tuple[str, ...], complaint: str
) -> None:
    cli = make_cli()
    done = cli("serve", "--port", str(free_port()), *args)
    assert done.returncode == 2
    assert complaint in cli.error_line(done)


def _worker_pids(parent: int) -> set[int]:
    """The uvicorn worker processes under a `project serve` process."""
    done = subprocess.run(["pgrep", "-P", str(parent)], capture_output=True, text=True, check=False)
    return {int(pid) for pid in done.stdout.split()}


async def test_serve_with_two_workers_shares_sessions_through_redis(
    make_cli: MakeCli, tmp_path: Path
) -> None:
    async with redis_namespace() as namespace:
        cli = make_cli(
            PROJECT_REDIS_URL=await reachable_redis_url(),
            PROJECT_REDIS_PREFIX=namespace.prefix,
            PROJECT_WORKER_IN_APP="false",
        )
        running = Server(cli, tmp_path, "--workers", "2")
        try:
            await asyncio.to_thread(running.wait_ready)
            assert len(_worker_pids(running.process.pid)) >= 2  # a supervisor and its workers
            async with httpx.AsyncClient(base_url=running.base, timeout=10) as http:
                registered = await http.post(
                    "/api/v1/auth/register", json={"email": "ann@example.com", "password": PASSWORD}
                )
                assert registered.status_code == 201, registered.text
                answer = await http.post(
                    "/api/v1/auth/login", json={"email": "ann@example.com", "password": PASSWORD}
                )
                pair = answer.json()
                # Many calls at once land on both workers; every one knows the session.
                calls = [http.get("/api/v1/me", headers=_bearer(pair)) for _ in range(40)]
                assert {r.status_code for r in await asyncio.gather(*calls)} == {200}
                out = await http.post("/api/v1/auth/logout", headers=_bearer(pair))
                assert out.status_code == 204
                calls = [http.get("/api/v1/me", headers=_bearer(pair)) for _ in range(40)]
                assert {r.status_code for r in await asyncio.gather(*calls)} == {401}
            await asyncio.to_thread(running.stop)
        finally:
            if running.process.poll() is None:
                running.process.kill()
                running.process.wait()
    assert "with 2 workers" in running.stdout.read_text()


def test_serve_refuses_several_workers_without_redis(make_cli: MakeCli) -> None:
    cli = make_cli()
    done = cli("serve", "--port", str(free_port()), "--workers", "2")
    assert done.returncode == 2
    assert "PROJECT_REDIS_URL" in cli.error_line(done)
