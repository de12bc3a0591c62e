"""A small production-like cluster on loopback, made of real processes.

Debian's nginx (the site config of deploy/nginx/, rendered with this test's ports and a
self-signed certificate) in front of two `project serve` instances A and B, one
`project worker`, a private PostgreSQL server of the test's own (initdb + pg_ctl in a temp
dir, so it can be stopped and started without touching the machine's shared server), the
shared Redis under a fresh key prefix, and moto's S3 server.

Nothing here is faked: the instances share state only through PostgreSQL and Redis, as
they would on separate hosts.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import httpx
import pytest
from benchmarks._nginx import HOST, READY_TIMEOUT, NginxProcess, load_renderer, tail
from benchmarks._nginx import REPO as REPO
from benchmarks._nginx import free_port as free_port
from benchmarks._nginx import nginx_binary as nginx_binary
from benchmarks._nginx import stop_process as _stop

from tests._certificates import self_signed

CONSOLE_SCRIPT = Path(sys.executable).parent / "project"
PASSWORD = "a long enough passphrase 42"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def unavailable(message: str) -> NoReturn:
    """Skip, except under CI=true, where the scale test must run: fail."""
    if in_ci():
        pytest.fail(f"{message} (CI=true: the scale test must run)", pytrace=False)
    pytest.skip(message)


class PrivatePostgres:
    """A PostgreSQL server of this test's own, on a free port, to stop and start at will.

    initdb refuses to run as root, so as root every server command runs as the `postgres`
    user (runuser) on a directory it owns.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.data = directory / "data"
        self.log = directory / "commands.log"  # ours: initdb's and pg_ctl's output
        self.server_log = directory / "server.log"  # the server's, written as its user
        self.port = free_port()
        self.url = f"postgresql://postgres@{HOST}:{self.port}/postgres"
        self._bin = self._find_bin()
        self._as: list[str] = []
        if os.geteuid() == 0:
            runuser = shutil.which("runuser")
            try:
                account = pwd.getpwnam("postgres")
            except KeyError:
                unavailable("running as root, and there is no `postgres` user to run initdb")
            if runuser is None:
                unavailable("running as root, and runuser is missing (util-linux)")
            os.chown(directory, account.pw_uid, account.pw_gid)
            self._as = [runuser, "-u", "postgres", "--"]

    @staticmethod
    def _find_bin() -> Path:
        candidates = sorted(
            Path("/usr/lib/postgresql").glob("*/bin/initdb"),
            key=lambda path: int(path.parts[-3]) if path.parts[-3].isdigit() else 0,
        )
        if candidates:
            return candidates[-1].parent
        initdb = shutil.which("initdb")
        if initdb is None:
            unavailable("PostgreSQL's initdb and pg_ctl are not installed")
        return Path(initdb).parent

    def _run(self, *command: str, timeout: float = 60) -> None:
        with self.log.open("ab") as log:
            # Output to a file, never a pipe: the server pg_ctl starts would inherit it.
            done = subprocess.run(
                [*self._as, *command],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                timeout=timeout,
                check=False,
            )
        if done.returncode != 0:
            raise RuntimeError(
                f"{command[0]} failed ({done.returncode}):\n{tail(self.log)}\n"
                f"{tail(self.server_log)}"
            )

    def init(self) -> None:
        self._run(
            str(self._bin / "initdb"),
            *("-D", str(self.data), "-U", "postgres", "-A", "trust"),
            *("-E", "UTF8", "--locale=C.UTF-8", "--no-sync"),
        )
        # The machine crashing is not what these tests are about: skip the disk flushes.
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"\nport = {self.port}\nlisten_addresses = '{HOST}'\n"
                f"unix_socket_directories = '{self.directory}'\n"
                "fsync = off\nfull_page_writes = off\nmax_connections = 200\n"
            )

    def start(self) -> None:
        self._run(
            str(self._bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.server_log),
            "-w",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self._run(str(self._bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def ensure_stopped(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.stop("immediate")


class Process:
    """A `project` subcommand in its own process, its output in a log file."""

    def __init__(self, name: str, args: list[str], env: Mapping[str, str], logs: Path) -> None:
        self.name = name
        self.args = args
        self.env = dict(env)
        self.log = logs / f"{name}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [str(CONSOLE_SCRIPT), *self.args],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flushing, connections dropped mid-request."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> int:
        assert self.process is not None
        return _stop(self.process)

    def ensure_stopped(self) -> None:
        if self.running:
            self.stop()


class Instance(Process):
    """`project serve` on a port of its own."""

    def __init__(
        self, name: str, env: Mapping[str, str], logs: Path, port: int | None = None
    ) -> None:
        self.port = port or free_port()
        self.base = f"http://{HOST}:{self.port}"
        super().__init__(name, ["serve", "--host", HOST, "--port", str(self.port)], env, logs)

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> None:
        """Until /health/ready answers 200."""
        self._wait(lambda answer: answer.status_code == 200, timeout)

    def wait_for_port(self, timeout: float = READY_TIMEOUT) -> None:
        """Until anything answers over HTTP (a production instance refuses our Host)."""
        self._wait(lambda answer: True, timeout)

    def _wait(self, done: Callable[[httpx.Response], bool], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.running:
                raise RuntimeError(f"{self.name} exited\n{tail(self.log)}")
            try:
                if done(httpx.get(f"{self.base}/health/ready", timeout=2)):
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} not ready in {timeout} s\n{tail(self.log)}")


class Nginx(NginxProcess):
    """Debian's nginx with the deploy/ site config (benchmarks/_nginx.py runs it from a
    directory of its own), rendered with this test's ports and a self-signed certificate."""

    def __init__(self, binary: str, directory: Path, upstreams: list[str]) -> None:
        self.http_port, self.https_port = free_port(), free_port()
        self.base = f"https://{HOST}:{self.https_port}"
        self.plain = f"http://{HOST}:{self.http_port}"
        self.cert, self.key = self_signed(directory)
        (directory / "acme").mkdir()
        renderer = load_renderer()
        site = renderer.Site(
            upstreams=upstreams,
            server_names=[HOST],
            http_listen=[f"{HOST}:{self.http_port}"],
            https_listen=[f"{HOST}:{self.https_port}"],
            https_port=self.https_port,
            tls_certificate=str(self.cert),
            tls_certificate_key=str(self.key),
            acme_root=str(directory / "acme"),
        )
        rendered = renderer.render(site, origin=" (tests/scale)")
        super().__init__(binary, directory, rendered, self.https_port)


@dataclass
class Cluster:
    root: Path
    env: dict[str, str]
    postgres: PrivatePostgres
    a: Instance
    b: Instance
    worker: Process
    nginx: Nginx
    secret: str

    @property
    def ca(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.nginx.cert))

    def client(self, base: str) -> httpx.AsyncClient:
        verify = self.ca if base.startswith("https://") else True
        return httpx.AsyncClient(base_url=base, verify=verify, timeout=15)

    def instance(self, name: str, **overrides: str) -> Instance:
        """Another `project serve` of the same cluster (same database, Redis and S3)."""
        return Instance(name, self.env | overrides, self.root / "logs")

    def logs(self) -> str:
        return "\n".join(
            [
                tail(self.a.log),
                tail(self.b.log),
                tail(self.worker.log),
                self.nginx.logs(),
                tail(self.postgres.server_log, 1500),
            ]
        )


def cluster_env(
    *,
    database_url: str,
    redis_url: str,
    redis_prefix: str,
    s3_endpoint: str,
    s3_bucket: str,
    public_url: str,
    site_port: int,
    data_dir: Path,
    secret: str,
) -> dict[str, str]:
    """The environment every process of the cluster shares, as one deployment would."""
    inherited = {
        key: value for key, value in os.environ.items() if not key.startswith(("PROJECT_", "AWS_"))
    }
    return inherited | {
        "PROJECT_ENV": "development",
        "PROJECT_DATA_DIR": str(data_dir),
        "PROJECT_SECRET_KEY": secret,  # one key for every instance: A's tokens are B's too
        "PROJECT_DATABASE_URL": database_url,
        "PROJECT_REDIS_URL": redis_url,
        "PROJECT_REDIS_PREFIX": redis_prefix,
        "PROJECT_S3_BUCKET": s3_bucket,
        "PROJECT_S3_ENDPOINT_URL": s3_endpoint,
        "PROJECT_S3_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "PROJECT_PUBLIC_URL": public_url,
        "PROJECT_TRUSTED_PROXIES": HOST,
        "PROJECT_WORKER_IN_APP": "false",
        "PROJECT_FETCH_ALLOWED_NETWORKS": "127.0.0.0/8",
        "PROJECT_FETCH_ALLOWED_PORTS": str(site_port),
        "PROJECT_ARCHIVE_RETRY_BASE_SECONDS": "0.5",
        "PROJECT_ARCHIVE_LEASE_SECONDS": "10",
        # Every request here comes from one address and a handful of users; the rate limit
        # test starts instances of its own with a small limit.
        "PROJECT_API_USER_REQUESTS_PER_MINUTE": "1000000",
        "PROJECT_API_ANONYMOUS_REQUESTS_PER_MINUTE": "1000000",
        "PROJECT_LOGIN_IP_ATTEMPTS": "1000000",
        "PROJECT_LOG_LEVEL": "WARNING",
    }


@contextmanager
def running_cluster(
    *,
    nginx: str,
    redis_url: str,
    redis_prefix: str,
    s3_endpoint: str,
    s3_bucket: str,
    site_port: int,
) -> Iterator[Cluster]:
    """Start everything (about 10 s), yield it, stop everything, remove the files."""
    root = Path(tempfile.mkdtemp(prefix="project-scale-"))
    root.chmod(0o755)  # nginx's workers (nobody, when started as root) read and write in it
    with ExitStack() as stack:
        stack.callback(shutil.rmtree, root, ignore_errors=True)
        (root / "logs").mkdir()
        pg_dir = root / "postgres"
        pg_dir.mkdir()
        postgres = PrivatePostgres(pg_dir)
        postgres.init()
        postgres.start()
        stack.callback(postgres.ensure_stopped)

        nginx_dir = root / "nginx"
        nginx_dir.mkdir()
        ports = [free_port(), free_port()]
        proxy = Nginx(nginx, nginx_dir, [f"{HOST}:{port}" for port in ports])
        secret = secrets.token_urlsafe(48)
        env = cluster_env(
            database_url=postgres.url,
            redis_url=redis_url,
            redis_prefix=redis_prefix,
            s3_endpoint=s3_endpoint,
            s3_bucket=s3_bucket,
            public_url=proxy.base,
            site_port=site_port,
            data_dir=root / "data",
            secret=secret,
        )
        migrate = subprocess.run(
            [str(CONSOLE_SCRIPT), "db", "upgrade"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert migrate.returncode == 0, migrate.stdout + migrate.stderr

        a = Instance("a", env, root / "logs", ports[0])
        b = Instance("b", env, root / "logs", ports[1])
        worker = Process("worker", ["worker", "--concurrency", "4"], env, root / "logs")
        for process in (a, b, worker):
            process.start()
            stack.callback(process.ensure_stopped)
        a.wait_ready()
        b.wait_ready()
        proxy.start()
        stack.callback(proxy.stop)
        yield Cluster(root, env, postgres, a, b, worker, proxy, secret)
