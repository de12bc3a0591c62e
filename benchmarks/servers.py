"""Issue 9, item 6: the same app under uvicorn and granian, with wrk.

    .venv/bin/python -m benchmarks.servers [--servers uvicorn,uvicorn-std,granian]
        [--rounds 3] [--duration 10] [--connections 16] [--workers 1] [--json FILE] [--quick]

Needs what `benchmarks.http_load` needs (PostgreSQL, Redis, wrk, its list dataset
`project_bench_100k_1u`, reused) and the servers to compare, importable by this interpreter:
`pip install granian uvloop httptools` (into the venv, or with `--target DIR` and
PYTHONPATH=DIR for this command, which the servers inherit).

Servers (see `_serve`): `uvicorn` is uvicorn with asyncio and h11, what `project serve` runs
with the project's declared dependencies; `uvicorn-std` uvicorn with uvloop and httptools
(uvicorn[standard]); `granian` granian's ASGI server with uvloop; `granian-asyncio` granian with
the asyncio loop. The project's app is started through the real CLI (`project serve
--workers N`), only its final `uvicorn.run` call replaced (`_serve`).

Scenarios, as http_load defines them (wrk -t1 -c16, --warm-up s of the same requests first,
then --duration s measured): "list (cold)", GET /api/v1/bookmarks?limit=50 with a bearer JWT on
a server with the read cache off; "list (cached)", the same on a server as deployed; "floor",
the bare Litestar app answering the same JSON from memory (`_floor_app`), where the server's own
cost is the largest share. Every (round, server, scenario) gets a fresh server; each round
takes the servers in a rotated order, so slow drifts of the machine's load spread over all of
them. The figures: req/s, p50/p99, and the CPU of the server's processes per request (all its
processes and threads: granian runs its worker as a child). The machine is shared, so CPU per
request is the figure to compare; the medians over the rounds are compared, and a difference
counts only when the rounds do not overlap.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shlex
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from benchmarks import _dataset, _machine, _serve, _wrk
from benchmarks._dataset import DatasetSpec
from benchmarks._wrk import Load
from benchmarks.http_load import (
    LIST_PATH,
    _clean_redis,
    _fetch,
    _login,
    _project_env,
    _secret,
    _serving,
    add_dataset_arguments,
    cache_off_env,
)

SCENARIOS = ["list (cold)", "list (cached)", "floor"]
BASELINE = "uvicorn"


def serve_command(server: str, workers: int = 1, extra: list[str] | None = None) -> list[str]:
    """`project serve --workers N` under `server` (the harness appends --port)."""
    return [
        sys.executable,
        "-m",
        "benchmarks._serve",
        "--server",
        server,
        *(extra or []),
        "serve",
        "--workers",
        str(workers),
    ]


def floor_command(server: str, body: Path) -> list[str]:
    return [sys.executable, "-m", "benchmarks._serve", "--server", server, "--floor", str(body)]


def versions() -> dict[str, str]:
    found = {}
    for name in ("uvicorn", "granian", "uvloop", "httptools", "litestar"):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


@dataclass
class Sample:
    server: str
    scenario: str
    round: int
    rate: float
    p50: float
    p95: float
    p99: float
    errors: int
    server_ms: float
    database_ms: float
    others_cores: float
    load_average: str

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def measure(
    wrk: str,
    server: Any,
    database: str,
    load: Load,
    warm_up: Load | None,
    mode_args: list[str],
) -> tuple[_wrk.WrkResult, _machine.CpuUse]:
    if warm_up is not None and warm_up.duration > 0:
        _wrk.run(wrk, server.base_url, warm_up, mode_args)
    before = _machine.snapshot(server.process.pid, database)
    result = _wrk.run(wrk, server.base_url, load, mode_args)
    after = _machine.snapshot(server.process.pid, database)
    return result, _machine.used(before, after, os.cpu_count() or 1)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").split("\n")[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--servers", default="uvicorn,uvicorn-std,granian")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds measured")
    parser.add_argument("--warm-up", type=float, default=2.0, help="seconds before each")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    add_dataset_arguments(parser)
    parser.add_argument("--quick", action="store_true", help="10k bookmarks, 1 round of 3 s")
    args = parser.parse_args(argv)
    args.server_env = []  # for http_load's _project_env
    if args.quick:
        args.bookmarks, args.rounds, args.duration, args.warm_up = 10_000, 1, 3.0, 1.0
    return args


def _median(samples: list[Sample], attribute: str) -> float:
    return float(statistics.median(getattr(s, attribute) for s in samples))


def _span(samples: list[Sample], attribute: str, digits: int) -> str:
    values = sorted(getattr(s, attribute) for s in samples)
    if len(values) == 1:
        return f"{values[0]:.{digits}f}"
    return f"{values[0]:.{digits}f}-{values[-1]:.{digits}f}"


def table(samples: list[Sample], servers: list[str], scenarios: list[str]) -> str:
    rows = [
        "| scenario | server | req/s (median) | req/s (rounds) | p50 ms | p99 ms | errors "
        "| server CPU ms/req (median) | CPU ms/req (rounds) | vs uvicorn, CPU/req "
        "| others (cores) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for scenario in scenarios:
        base = [s for s in samples if s.server == BASELINE and s.scenario == scenario]
        for server in servers:
            mine = [s for s in samples if s.server == server and s.scenario == scenario]
            if not mine:
                continue
            versus = "-"
            if base and server != BASELINE:
                versus = f"{_median(mine, 'server_ms') / _median(base, 'server_ms'):.2f}x"
            rows.append(
                f"| {scenario} | {server} | {_median(mine, 'rate'):,.0f} | "
                f"{_span(mine, 'rate', 0)} | {_median(mine, 'p50'):.1f} | "
                f"{_median(mine, 'p99'):.1f} | {sum(s.errors for s in mine)} | "
                f"{_median(mine, 'server_ms'):.2f} | {_span(mine, 'server_ms', 2)} | {versus} | "
                f"{_median(mine, 'others_cores'):.2f} |"
            )
    return "\n".join(rows)


def verdicts(samples: list[Sample], servers: list[str], scenarios: list[str]) -> list[str]:
    """Each server against uvicorn (asyncio, h11): beyond the noise when every round of one
    spent less CPU per request than every round of the other."""
    lines = []
    for scenario in scenarios:
        base = [s for s in samples if s.server == BASELINE and s.scenario == scenario]
        if not base:
            continue
        for server in servers:
            mine = [s for s in samples if s.server == server and s.scenario == scenario]
            if server == BASELINE or not mine:
                continue
            cpu = _median(mine, "server_ms") / _median(base, "server_ms")
            rate = _median(mine, "rate") / _median(base, "rate")
            if min(len(mine), len(base)) < 2:
                call = "one round: no measure of the noise"
            elif max(s.server_ms for s in mine) < min(s.server_ms for s in base):
                call = "cheaper beyond the noise (no round overlaps)"
            elif min(s.server_ms for s in mine) > max(s.server_ms for s in base):
                call = "dearer beyond the noise (no round overlaps)"
            else:
                call = "within the noise (the rounds overlap)"
            lines.append(
                f"{scenario}: {server} uses {cpu:.2f}x uvicorn's CPU per request, "
                f"{rate:.2f}x its req/s: {call}"
            )
    return lines


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    servers = [s.strip() for s in args.servers.split(",") if s.strip()]
    scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    for server in servers:
        if server not in _serve.SERVERS:
            print(f"servers: unknown server {server!r} ({', '.join(_serve.SERVERS)})")
            return 2
        if absent := _serve.missing(server):
            print(f"servers: {server} needs {', '.join(absent)}: pip install {' '.join(absent)}")
            return 2
    if BASELINE not in servers:
        servers.insert(0, BASELINE)
    wrk = _wrk.find_wrk()
    command = shlex.join([Path(sys.executable).name, "-m", "benchmarks.servers", *sys.argv[1:]])
    found = versions() | {"wrk": _wrk.version(wrk)}
    print(f"machine        {os.cpu_count()} CPUs, {_machine.cpu_model()}")
    print("software       " + ", ".join(f"{k} {v}" for k, v in found.items()))
    load_before = _machine.load_average()
    print(f"load average   {load_before} (before)")
    started = time.perf_counter()
    spec = DatasetSpec(args.bookmarks, args.users, args.seed)
    dataset = asyncio.run(_dataset.ensure(args.admin_url, spec, regenerate=False))
    database = spec.database
    _, email = dataset.users[0]
    prefix = f"bench-servers-{uuid.uuid4().hex[:8]}:"
    secret = _secret()
    load = Load(args.connections, args.duration, args.threads)
    warm_up = Load(args.connections, args.warm_up, args.threads)
    samples: list[Sample] = []
    print(
        f"load           wrk -t{args.threads} -c{args.connections}, {args.duration:g} s after "
        f"{args.warm_up:g} s of warm-up; {args.rounds} round(s); {args.workers} worker(s)"
    )
    with tempfile.TemporaryDirectory(prefix="bench-servers-") as scratch_dir:
        scratch = Path(scratch_dir)
        env = _project_env(args, scratch, dataset.url, prefix, secret)
        cold_env = env | cache_off_env()
        try:
            with _serving("setup", serve_command(BASELINE), env, scratch) as setup:
                bearer = f"Bearer {_login(setup.base_url, email)}"
                body = _fetch(setup.base_url, LIST_PATH, bearer)
            if len(json.loads(body)["items"]) != 50:
                raise RuntimeError("the list page does not hold 50 bookmarks")
            body_file = scratch / "list-page.json"
            body_file.write_bytes(body)
            paths = scratch / "list.paths"
            paths.write_text(f"{LIST_PATH}\t{bearer}\n")
            mode = ["paths", str(paths)]
            for round_number in range(1, args.rounds + 1):
                shift = (round_number - 1) % len(servers)
                order = servers[shift:] + servers[:shift]
                print(f"round {round_number}: {', '.join(order)}")
                for server in order:
                    for scenario in scenarios:
                        if scenario == "floor":
                            command_line, server_env = floor_command(server, body_file), env
                        elif scenario == "list (cold)":
                            command_line = serve_command(server, args.workers)
                            server_env = cold_env
                        else:
                            command_line, server_env = serve_command(server, args.workers), env
                        name = f"{server} {scenario}"
                        with _serving(name, command_line, server_env, scratch) as running:
                            result, cpu = measure(wrk, running, database, load, warm_up, mode)
                        per_request = 1000 / max(result.requests, 1)
                        sample = Sample(
                            server=server,
                            scenario=scenario,
                            round=round_number,
                            rate=result.rate,
                            p50=result.latency_ms["p50"],
                            p95=result.latency_ms["p95"],
                            p99=result.latency_ms["p99"],
                            errors=result.failed,
                            server_ms=cpu.server * per_request,
                            database_ms=cpu.database * per_request,
                            others_cores=cpu.others / max(cpu.wall, 1e-9),
                            load_average=_machine.load_average(),
                        )
                        samples.append(sample)
                        print(
                            f"  {name:<30} {sample.rate:7,.0f} req/s  p50 {sample.p50:6.1f} ms"
                            f"  p99 {sample.p99:6.1f}  errors {sample.errors}"
                            f"  server {sample.server_ms:.3f} ms CPU/req"
                            f"  others {sample.others_cores:.2f} cores"
                            f"  load {sample.load_average}"
                        )
        finally:
            _clean_redis(args.redis_url, prefix)
    load_after = _machine.load_average()
    print()
    print(table(samples, servers, scenarios))
    print()
    for line in verdicts(samples, servers, scenarios):
        print(line)
    print(f"load average   {load_before} before, {load_after} after")
    print(f"time           {time.perf_counter() - started:.0f} s")
    print(f"command        {command}")
    if args.json is not None:
        report = {
            "command": command,
            "machine": {"cores": os.cpu_count(), "cpu": _machine.cpu_model()},
            "versions": found,
            "load_average": {"before": load_before, "after": load_after},
            "load": {
                "connections": args.connections,
                "threads": args.threads,
                "duration_s": args.duration,
                "warm_up_s": args.warm_up,
                "rounds": args.rounds,
                "workers": args.workers,
            },
            "samples": [s.as_dict() for s in samples],
            "verdicts": verdicts(samples, servers, scenarios),
        }
        args.json.write_text(json.dumps(report, indent=2) + "\n")
        print(f"json           {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
