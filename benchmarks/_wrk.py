"""wrk (Debian's `wrk` package) driven with benchmarks/wrk/bench.lua, its figures parsed."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCRIPT = Path(__file__).parent / "wrk" / "bench.lua"
RESULT_PREFIX = "WRK_RESULT "


class WrkMissing(RuntimeError):
    pass


def find_wrk() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise WrkMissing(
            "wrk is not installed: this benchmark drives its load with wrk "
            "(Debian/Ubuntu: apt-get install -y wrk; macOS: brew install wrk)."
        )
    return found


def version(binary: str) -> str:
    done = subprocess.run(  # noqa: S603 - our own arguments
        [binary, "--version"], capture_output=True, text=True, check=False
    )
    lines = (done.stdout or done.stderr).strip().splitlines()
    return lines[0].split(" Copyright")[0] if lines else "?"


@dataclass(frozen=True)
class Load:
    """How hard to push: wrk's threads, open connections, seconds, and timeout."""

    connections: int
    duration: float
    threads: int = 1
    timeout: float = 10.0


@dataclass
class WrkResult:
    requests: int
    seconds: float
    errors: dict[str, int]
    bad_responses: int
    last_bad_status: int
    latency_ms: dict[str, float]
    command: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def failed(self) -> int:
        """Requests that did not get a 2xx/3xx: socket errors, timeouts, and 4xx/5xx."""
        return sum(self.errors.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "seconds": round(self.seconds, 3),
            "requests_per_second": round(self.rate, 1),
            "errors": self.errors,
            "bad_responses": self.bad_responses,
            "last_bad_status": self.last_bad_status,
            "latency_ms": self.latency_ms,
        }


def run(binary: str, base_url: str, load: Load, mode_args: list[str]) -> WrkResult:
    command = [
        binary,
        f"-t{load.threads}",
        f"-c{load.connections}",
        f"-d{load.duration:g}s",
        f"--timeout={load.timeout:g}s",
        "-s",
        str(SCRIPT),
        base_url,
        "--",
        *mode_args,
    ]
    done = subprocess.run(  # noqa: S603 - our own arguments
        command, capture_output=True, text=True, check=False, timeout=load.duration + 120
    )
    line = next(
        (x for x in done.stdout.splitlines() if x.startswith(RESULT_PREFIX)),
        None,
    )
    if done.returncode != 0 or line is None:
        raise RuntimeError(
            f"wrk failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}"
        )
    raw = json.loads(line.removeprefix(RESULT_PREFIX))
    latency = {key: value / 1000 for key, value in raw["latency_us"].items()}
    return WrkResult(
        requests=raw["requests"],
        seconds=raw["duration_us"] / 1e6,
        errors=raw["errors"],
        bad_responses=raw["bad_responses"],
        last_bad_status=raw["last_bad_status"],
        latency_ms=latency,
        # The Authorization values are throwaway tokens, but they have no place in a report.
        command=[c if not c.startswith(("Bearer ", "Token ")) else "<token>" for c in command],
    )
