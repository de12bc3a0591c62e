"""A real `project serve` process for the tests: started on a free port, waited for, stopped
with SIGTERM (and checked to have shut down cleanly)."""

from __future__ import annotations

import signal
import socket
import ssl
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

if TYPE_CHECKING:  # conftest is pytest's to import; only its type is borrowed here
    from conftest import Cli

READY_TIMEOUT = 20.0
STOP_TIMEOUT = 20.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Server:
    def __init__(
        self,
        cli: Cli,
        logs: Path,
        *args: str,
        scheme: str = "http",
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        self.port = free_port()
        self.base = f"{scheme}://127.0.0.1:{self.port}"
        self.verify = verify
        self.stdout, self.stderr = logs / "serve.out", logs / "serve.err"
        command = [str(cli.script), "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        with self.stdout.open("w") as out, self.stderr.open("w") as err:
            self.process = subprocess.Popen(
                [*command, *args],
                stdout=out,
                stderr=err,
                env=cli.environ(PROJECT_LOG_LEVEL="INFO"),
            )

    def wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.stderr.read_text()
            try:
                ready = httpx.get(f"{self.base}/health/ready", timeout=1, verify=self.verify)
                if ready.status_code == 200:
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
