"""Debian's nginx with the site config of deploy/nginx/, run in the foreground from a directory
of its own (its pid file, logs and temp files there; the machine's nginx is never touched).

Used by tests/scale (the cluster: the site over https with a self-signed certificate) and by
benchmarks/scale_out.py (`plain_http_site`: the same site with TLS taken out).
"""

from __future__ import annotations

import importlib.util
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]
RENDER_SCRIPT = REPO / "deploy" / "nginx" / "render.py"
HOST = "127.0.0.1"
READY_TIMEOUT = 60.0  # a loaded machine starts processes slowly


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def nginx_binary() -> str | None:
    found = shutil.which("nginx")
    if found is None and Path("/usr/sbin/nginx").exists():
        found = "/usr/sbin/nginx"  # not on a normal user's PATH
    return found


def load_renderer() -> ModuleType:
    """deploy/nginx/render.py, which is a script and not part of any package."""
    spec = importlib.util.spec_from_file_location("project_nginx_render", RENDER_SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses looks its module up while building Site
    spec.loader.exec_module(module)
    return module


def tail(path: Path, size: int = 3000) -> str:
    try:
        text = path.read_text(errors="replace")
    except FileNotFoundError:
        return f"({path.name}: no log)"
    return f"--- {path.name} ---\n{text[-size:]}"


def stop_process(
    process: subprocess.Popen[bytes], sig: int = signal.SIGTERM, timeout: float = 20
) -> int:
    """Send `sig`, wait up to `timeout` seconds, then kill; the exit status."""
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


def plain_http_site(
    renderer: ModuleType, directory: Path, upstreams: list[str], port: int, origin: str
) -> str:
    """The deployed site config for `upstreams`, with its https server block listening on
    plain HTTP at HOST:`port` and no certificate: everything else (upstream keepalive, proxy
    headers and buffering, gzip, locations) as rendered from the template. The http server
    block (ACME and the redirect to https) listens on another free port, unused."""
    acme = directory / "acme"
    acme.mkdir(exist_ok=True)
    site = renderer.Site(
        upstreams=upstreams,
        server_names=[HOST, "localhost"],
        http_listen=[f"{HOST}:{free_port()}"],
        https_listen=[f"{HOST}:{port}"],
        https_port=port,
        acme_root=str(acme),
    )
    rendered: str = renderer.render(site, origin=origin)
    tls_listen = f"listen {HOST}:{port} ssl http2;"
    lines = rendered.splitlines()
    certificates = [line for line in lines if line.strip().startswith("ssl_certificate")]
    if sum(tls_listen in line for line in lines) != 1 or len(certificates) != 2:
        raise RuntimeError(
            f"{RENDER_SCRIPT.name}: the rendered site no longer has one `{tls_listen}` and "
            "two ssl_certificate lines: update plain_http_site"
        )
    kept = [
        line.replace(tls_listen, f"listen {HOST}:{port};")
        for line in lines
        if line not in certificates
    ]
    return "\n".join(kept) + "\n"


class NginxProcess:
    """nginx -p DIRECTORY -c DIRECTORY/nginx.conf, not a daemon, serving `site` (an http
    context config, written to DIRECTORY/project.conf and included as Debian includes
    sites-enabled). `port` is where `start` waits for it to listen.

    As root, nginx's workers run as `nobody`: DIRECTORY and its parents must be traversable
    by it (mode 755), or large answers, which nginx buffers to its proxy temp files, fail.
    """

    def __init__(
        self,
        binary: str,
        directory: Path,
        site: str,
        port: int,
        *,
        worker_processes: int | str = 2,
    ) -> None:
        self.binary = binary
        self.directory = directory
        self.port = port
        self.site_conf = directory / "project.conf"
        self.site_conf.write_text(site)
        self.conf = directory / "nginx.conf"
        temp = "\n".join(
            f"    {kind}_temp_path {directory / kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        self.conf.write_text(
            f"""daemon off;
worker_processes {worker_processes};
pid {directory / "nginx.pid"};
error_log {directory / "error.log"} notice;
events {{
    worker_connections 1024;
}}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log {directory / "access.log"};
{temp}
    include {self.site_conf};
}}
"""
        )
        self.process: subprocess.Popen[bytes] | None = None
        self.output = directory / "nginx.out"

    def _command(self, *extra: str) -> list[str]:
        return [self.binary, "-p", str(self.directory), "-c", str(self.conf), *extra]

    def check(self) -> subprocess.CompletedProcess[str]:
        """`nginx -t` on the config."""
        return subprocess.run(  # noqa: S603 - our own arguments
            self._command("-t"), capture_output=True, text=True, timeout=30, check=False
        )

    def start(self, timeout: float = READY_TIMEOUT) -> None:
        with self.output.open("ab") as out:
            self.process = subprocess.Popen(  # noqa: S603 - our own arguments
                self._command(), stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited\n{tail(self.output)}\n{self.logs()}")
            with socket.socket() as probe:
                if probe.connect_ex((HOST, self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError(f"nginx did not listen in {timeout} s\n{self.logs()}")

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process, signal.SIGQUIT)  # graceful: finish the open requests

    def logs(self) -> str:
        return tail(self.directory / "error.log")
