"""Issue 9, item 5: list latency while a login storm runs, and the event loop's lag.

    .venv/bin/python -m benchmarks.login_storm [--rounds 3] [--duration 10]
        [--list-connections 4] [--storm-connections 16] [--read-cache on|off]
        [--server uvicorn] [--no-control] [--hash-nice 10] [--json FILE] [--quick]

Needs what `benchmarks.http_load` needs (PostgreSQL, Redis, wrk) and reuses its list dataset
(`project_bench_100k_1u`) and its 64 login accounts (`bench-login-NNN`, created once).

Two `project serve` processes run on the same database and Redis, one worker each (`_serve`:
the real CLI; uvicorn with asyncio and h11 unless --server says otherwise):
- the measured server, with an event-loop probe (`_serve --loop-lag`): a task on its loop
  that sleeps 5 ms over and over and records how late each wake-up was;
- a second server that only takes logins.

The list load is wrk -t1 -c4 on the authenticated `GET /api/v1/bookmarks?limit=50` (read
cache on, as deployed; `--read-cache off` for the uncached list). The storm is a second wrk,
-t1 -c16, of `POST /api/v1/auth/login` rotating over 64 accounts (4 per connection: concurrent
logins on one account would trip its backoff, S30), started 2 s before the list's window and
stopped 1 s after it. Each round has three phases, in a rotated order:
- alone: the list only;
- storm, same process: the storm on the measured server itself;
- storm, other process: the storm on the second server. The cores are shared as much as in
  the phase before (four argon2 threads either way), but the measured server's event loop
  and process are not involved in the logins.
If argon2 blocked the loop, the same-process phase would be far worse than the other-process
phase and the probe would see lags as long as a hash (~200 ms). If the hashing only takes CPU,
the two storm phases look alike: what is left is contention for the 2 cores.

The control (one round, unless --no-control): a third server where argon2 runs on the event
loop (`_serve --inline-hashing`), under the same storm: what blocking looks like to the probe
and to the list.

`--hash-nice N` adds a fourth phase to every round, on a third server whose argon2 threads run
at nice N (`_serve --hash-nice`): the same-process storm with the scheduler told to favour the
event loop's thread.

Between phases the harness waits for the servers to go quiet (the logins queued when the storm
stops still finish). The machine is shared: `/proc/loadavg` is printed with every figure, and
the CPU of the servers and of every other process is counted per phase.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shlex
import statistics
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks import _dataset, _machine, _serve, _wrk
from benchmarks._dataset import DatasetSpec
from benchmarks._wrk import Load, WrkResult
from benchmarks.http_load import (
    LIST_PATH,
    Server,
    _clean_redis,
    _login,
    _project_env,
    _secret,
    _serving,
    add_dataset_arguments,
    cache_off_env,
)
from benchmarks.servers import serve_command, versions

ALONE, SAME, OTHER, INLINE = (
    "alone",
    "storm, same process",
    "storm, other process",
    "storm, hashing on the loop (control)",
)
NICED = "storm, same process, hashing niced"  # with the nice value appended
STORM_LEAD, STORM_TAIL = 2.0, 1.0


@dataclass
class Phase:
    name: str
    round: int
    result: WrkResult
    storm: WrkResult | None
    seconds: float
    measured_cpu: float
    loop_cpu: float  # the measured server's main thread, which runs its event loop
    storm_server_cpu: float
    database_cpu: float
    others_cpu: float
    lag_ms: dict[str, float]
    load_average: str
    extra: dict[str, Any] = field(default_factory=dict)

    def cores(self, seconds: float) -> float:
        return seconds / max(self.seconds, 1e-9)

    @property
    def list_ms(self) -> float:
        """The measured server's CPU per list request: meaningful alone only."""
        return self.measured_cpu * 1000 / max(self.result.requests, 1)

    def as_dict(self) -> dict[str, Any]:
        return {
            "phase": self.name,
            "round": self.round,
            "list": self.result.as_dict(),
            "storm": None if self.storm is None else self.storm.as_dict(),
            "seconds": round(self.seconds, 3),
            "measured_server_cores": round(self.cores(self.measured_cpu), 3),
            "measured_loop_thread_cores": round(self.cores(self.loop_cpu), 3),
            "storm_server_cores": round(self.cores(self.storm_server_cpu), 3),
            "database_cores": round(self.cores(self.database_cpu), 3),
            "other_processes_cores": round(self.cores(self.others_cpu), 3),
            "loop_lag_ms": self.lag_ms,
            "load_average_after": self.load_average,
        }


def lag_stats(path: Path, start: float, end: float) -> dict[str, float]:
    """The probe's lags (ms) between two time.monotonic() readings: p50, p99, max, and how
    many wake-ups there were (fewer than duration / 5 ms when the loop was held)."""
    lags = []
    try:
        lines = path.read_text().splitlines()
    except OSError:
        lines = []
    for line in lines:
        stamp, _, lag = line.partition(" ")
        try:
            at, value = float(stamp), float(lag)
        except ValueError:
            continue
        if start <= at <= end:
            lags.append(value)
    if not lags:
        return {"samples": 0, "p50": 0.0, "p99": 0.0, "max": 0.0}
    lags.sort()
    return {
        "samples": len(lags),
        "p50": round(lags[len(lags) // 2], 2),
        "p99": round(lags[min(len(lags) - 1, int(len(lags) * 0.99))], 2),
        "max": round(lags[-1], 2),
    }


def _database_cpu(database: str) -> dict[int, float]:
    needle = f" {database} "
    backends = _machine.pids(lambda cmd: cmd.startswith("postgres:") and needle in cmd)
    return {pid: _machine.process_cpu(pid) for pid in backends}


def _quiet(servers: list[Server], patience: float = 20.0) -> None:
    """Wait until the servers are idle: logins queued when a storm stops still finish."""
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        before = sum(_machine.process_tree_cpu(s.process.pid) for s in servers)
        time.sleep(0.5)
        after = sum(_machine.process_tree_cpu(s.process.pid) for s in servers)
        if (after - before) / 0.5 < 0.15:
            return


@dataclass
class Storm:
    args: argparse.Namespace
    wrk: str
    database: str
    list_mode: list[str]
    storm_mode: list[str]
    phases: list[Phase] = field(default_factory=list)

    def run(
        self,
        name: str,
        round_number: int,
        measured: Server,
        lag_file: Path,
        storm_target: Server | None,
        bystanders: list[Server],
    ) -> Phase:
        args = self.args
        list_load = Load(args.list_connections, args.duration, 1)
        storm_load = Load(
            args.storm_connections, STORM_LEAD + args.duration + STORM_TAIL, 1, timeout=60
        )
        others = [s for s in bystanders if s is not measured]
        with ThreadPoolExecutor(max_workers=1) as pool:
            storm = None
            if storm_target is not None:
                storm = pool.submit(
                    _wrk.run, self.wrk, storm_target.base_url, storm_load, self.storm_mode
                )
                time.sleep(STORM_LEAD)
            busy_before, total_before = _machine.machine_cpu()
            measured_before = _machine.process_tree_cpu(measured.process.pid)
            loop_before = _machine.thread_cpu(measured.process.pid, measured.process.pid)
            others_before = sum(_machine.process_tree_cpu(s.process.pid) for s in others)
            database_before = _database_cpu(self.database)
            start = time.monotonic()
            result = _wrk.run(self.wrk, measured.base_url, list_load, self.list_mode)
            end = time.monotonic()
            busy_after, total_after = _machine.machine_cpu()
            measured_after = _machine.process_tree_cpu(measured.process.pid)
            loop_after = _machine.thread_cpu(measured.process.pid, measured.process.pid)
            others_after = sum(_machine.process_tree_cpu(s.process.pid) for s in others)
            database_after = _database_cpu(self.database)
            storm_result = None if storm is None else storm.result()
        cores = os.cpu_count() or 1
        measured_cpu = measured_after - measured_before
        storm_cpu = others_after - others_before
        database_cpu = sum(
            cpu - database_before.get(pid, 0.0) for pid, cpu in database_after.items()
        )
        # wrk's own CPU is not separated here (two wrk run at once); it counts with the others.
        rest = max(0.0, busy_after - busy_before - measured_cpu - storm_cpu - database_cpu)
        phase = Phase(
            name=name,
            round=round_number,
            result=result,
            storm=storm_result,
            seconds=(total_after - total_before) / cores,
            measured_cpu=measured_cpu,
            loop_cpu=loop_after - loop_before,
            storm_server_cpu=storm_cpu,
            database_cpu=database_cpu,
            others_cpu=rest,
            lag_ms=lag_stats(lag_file, start, end),
            load_average=_machine.load_average(),
        )
        self.phases.append(phase)
        latency = result.latency_ms
        storm_text = ""
        if storm_result is not None:
            storm_text = (
                f"  logins {storm_result.rate:4.1f}/s (p50 {storm_result.latency_ms['p50']:.0f}"
                f" ms, {storm_result.failed} failed)"
            )
        print(
            f"  {name:<37} list {result.rate:5.0f} req/s  p50 {latency['p50']:6.1f}"
            f"  p95 {latency['p95']:6.1f}  p99 {latency['p99']:6.1f} ms  errors {result.failed}"
            f"  lag p99 {phase.lag_ms['p99']:6.1f} max {phase.lag_ms['max']:6.1f} ms"
            f"  cores: server {phase.cores(measured_cpu):.2f} (loop thread "
            f"{phase.cores(phase.loop_cpu):.2f}) storm-server "
            f"{phase.cores(storm_cpu):.2f} others {phase.cores(rest):.2f}"
            f"{storm_text}  load {phase.load_average}"
        )
        _quiet([measured, *others])
        return phase


def _median(phases: list[Phase], value: Any) -> float:
    return float(statistics.median(value(p) for p in phases))


def _latency(phases: list[Phase], key: str) -> str:
    """The median of the phases that completed a list request: "-" when none did."""
    done = [p for p in phases if p.result.requests]
    return f"{_median(done, lambda p: p.result.latency_ms[key]):.1f}" if done else "-"


def table(phases: list[Phase]) -> str:
    rows = [
        "| phase | rounds | list req/s | p50 ms | p95 ms | p99 ms | errors | loop lag p50 ms "
        "| loop lag p99 ms | loop lag max ms | measured server (cores) | its loop thread (cores) "
        "| storm server (cores) | others (cores) | logins/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    names = [ALONE, SAME, OTHER, INLINE]
    names += sorted({p.name for p in phases if p.name.startswith(NICED)})
    for name in names:
        mine = [p for p in phases if p.name == name]
        if not mine:
            continue
        logins = "-"
        if mine[0].storm is not None:
            logins = f"{_median(mine, lambda p: p.storm.rate):.1f}"
        rows.append(
            f"| {name} | {len(mine)} | {_median(mine, lambda p: p.result.rate):,.0f} | "
            f"{_latency(mine, 'p50')} | {_latency(mine, 'p95')} | {_latency(mine, 'p99')} | "
            f"{sum(p.result.failed for p in mine)} | "
            f"{_median(mine, lambda p: p.lag_ms['p50']):.1f} | "
            f"{_median(mine, lambda p: p.lag_ms['p99']):.1f} | "
            f"{_median(mine, lambda p: p.lag_ms['max']):.1f} | "
            f"{_median(mine, lambda p: p.cores(p.measured_cpu)):.2f} | "
            f"{_median(mine, lambda p: p.cores(p.loop_cpu)):.2f} | "
            f"{_median(mine, lambda p: p.cores(p.storm_server_cpu)):.2f} | "
            f"{_median(mine, lambda p: p.cores(p.others_cpu)):.2f} | {logins} |"
        )
    return "\n".join(rows)


def ratios(phases: list[Phase]) -> list[str]:
    """Each storm phase's list latency over the phase without a storm, and the same-process
    storm's over the other-process storm's (what sharing the process adds to sharing the
    cores)."""
    lines = []
    pairs = [(SAME, ALONE), (OTHER, ALONE), (INLINE, ALONE), (SAME, OTHER)]
    pairs += [(p.name, SAME) for p in phases if p.name.startswith(NICED) and p.round == 1]
    for name, versus in pairs:
        mine = [p for p in phases if p.name == name and p.result.requests]
        alone = [p for p in phases if p.name == versus and p.result.requests]
        if not mine or not alone:
            continue
        parts = []
        for key in ("p50", "p95", "p99"):
            base = _median(alone, lambda p, k=key: p.result.latency_ms[k])
            here = _median(mine, lambda p, k=key: p.result.latency_ms[k])
            parts.append(f"{key} x{here / max(base, 1e-9):.2f}")
        rate = _median(mine, lambda p: p.result.rate) / max(
            _median(alone, lambda p: p.result.rate), 1e-9
        )
        lines.append(f"{name} / {versus}: {', '.join(parts)}, req/s x{rate:.2f}")
    return lines


def loop_shares(phases: list[Phase]) -> list[str]:
    """What the measured server's loop thread spent its CPU on: the list alone gives its cost
    per list request; in the same-process storm the rest of the loop thread's CPU went to the
    logins' own work on the loop (everything but the hash: Redis, SQL, tokens, the response)."""
    alone = [p for p in phases if p.name == ALONE and p.result.requests]
    other = [p for p in phases if p.name == OTHER and p.result.requests]
    same = [p for p in phases if p.name == SAME and p.storm is not None and p.storm.requests]
    if not alone:
        return []
    per_list = _median(alone, lambda p: p.loop_cpu / p.result.requests)
    lines = [f"loop thread, list alone: {per_list * 1000:.2f} ms of CPU per list request"]
    if other:
        # Under the storm a list request costs the loop more (caches shared with argon2's
        # 64 MiB, the probe's fixed cost over fewer requests): the storm elsewhere shows how much.
        per_list = _median(other, lambda p: p.loop_cpu / p.result.requests)
        lines.append(
            f"loop thread, storm in the other process: {per_list * 1000:.2f} ms of CPU per list "
            "request (the figure used below)"
        )
    if same:

        def per_login(phase: Phase) -> float:
            assert phase.storm is not None
            logins = phase.storm.rate * phase.seconds
            return (phase.loop_cpu - phase.result.requests * per_list) / max(logins, 1e-9)

        share = _median(same, lambda p: 1 - p.result.requests * per_list / max(p.loop_cpu, 1e-9))
        lines.append(
            f"loop thread, storm in the same process: {_median(same, per_login) * 1000:.1f} ms "
            f"of loop CPU per login besides the lists ({share:.0%} of the loop thread's CPU)"
        )
    return lines


def hash_time() -> float:
    """Milliseconds of one argon2id verify with the deployed parameters, here and now."""
    import argon2

    from project.adapters.argon2.profile import DEFAULT_PARAMETERS

    engine = argon2.PasswordHasher.from_parameters(DEFAULT_PARAMETERS)
    digest = engine.hash("a password")
    started = time.process_time()
    engine.verify(digest, "a password")
    return (time.process_time() - started) * 1000


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").split("\n")[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=10.0, help="list seconds per phase")
    parser.add_argument("--warm-up", type=float, default=2.0, help="list warm-up seconds")
    parser.add_argument("--list-connections", type=int, default=4)
    parser.add_argument("--storm-connections", type=int, default=16)
    parser.add_argument("--read-cache", choices=["on", "off"], default="on")
    parser.add_argument("--server", default="uvicorn", choices=list(_serve.SERVERS))
    parser.add_argument("--no-control", action="store_true", help="skip the inline control")
    parser.add_argument(
        "--hash-nice",
        type=int,
        help="add a phase: the storm on a third server whose hashing threads run at this "
        "nice value (an experiment; needs root to set the threads back)",
    )
    add_dataset_arguments(parser)
    parser.add_argument("--quick", action="store_true", help="10k bookmarks, 1 round of 3 s")
    args = parser.parse_args(argv)
    args.server_env = []  # for http_load's _project_env
    if args.quick:
        args.bookmarks, args.rounds, args.duration, args.warm_up = 10_000, 1, 3.0, 1.0
    return args


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    if absent := _serve.missing(args.server):
        print(f"login_storm: {args.server} needs {', '.join(absent)}")
        return 2
    wrk = _wrk.find_wrk()
    command = shlex.join([Path(sys.executable).name, "-m", "benchmarks.login_storm", *sys.argv[1:]])
    found = versions() | {"wrk": _wrk.version(wrk)}
    print(f"machine        {os.cpu_count()} CPUs, {_machine.cpu_model()}")
    print("software       " + ", ".join(f"{k} {v}" for k, v in found.items()))
    load_before = _machine.load_average()
    print(f"load average   {load_before} (before)")
    verify_ms = hash_time()
    print(f"argon2id       one verify: {verify_ms:.0f} ms of CPU (deployed parameters)")
    started = time.perf_counter()
    spec = DatasetSpec(args.bookmarks, args.users, args.seed)
    dataset = asyncio.run(_dataset.ensure(args.admin_url, spec, regenerate=False))
    accounts = asyncio.run(_dataset.login_accounts(dataset, 4 * args.storm_connections))
    _, email = dataset.users[0]
    prefix = f"bench-storm-{uuid.uuid4().hex[:8]}:"
    secret = _secret()
    print(
        f"load           list: wrk -t1 -c{args.list_connections}, {args.duration:g} s; storm: "
        f"wrk -t1 -c{args.storm_connections} over {len(accounts)} accounts; read cache "
        f"{args.read_cache}; server {args.server}; {args.rounds} round(s)"
    )
    with tempfile.TemporaryDirectory(prefix="bench-storm-") as scratch_dir:
        scratch = Path(scratch_dir)
        env = _project_env(args, scratch, dataset.url, prefix, secret)
        if args.read_cache == "off":
            env |= cache_off_env()
        accounts_file = scratch / "accounts"
        accounts_file.write_text("\n".join(accounts) + "\n")
        lag_file = scratch / "loop-lag.txt"
        probed = serve_command(args.server, extra=["--loop-lag", str(lag_file)])
        try:
            with (
                _serving("measured", probed, env, scratch) as measured,
                _serving("storm target", serve_command(args.server), env, scratch) as target,
            ):
                bearer = f"Bearer {_login(measured.base_url, email)}"
                _login(target.base_url, accounts[0])  # its first hash, out of the way
                paths = scratch / "list.paths"
                paths.write_text(f"{LIST_PATH}\t{bearer}\n")
                storm = Storm(
                    args,
                    wrk,
                    spec.database,
                    ["paths", str(paths)],
                    ["login", str(accounts_file), _dataset.PASSWORD],
                )
                warm_up = Load(args.list_connections, args.warm_up, 1)
                _wrk.run(wrk, measured.base_url, warm_up, storm.list_mode)
                order = [
                    (ALONE, measured, lag_file, None),
                    (SAME, measured, lag_file, measured),
                    (OTHER, measured, lag_file, target),
                ]
                with contextlib.ExitStack() as stack:
                    if args.hash_nice is not None:
                        niced_lag = scratch / "loop-lag-niced.txt"
                        niced_extra = ["--loop-lag", str(niced_lag)]
                        niced_extra += ["--hash-nice", str(args.hash_nice)]
                        niced_command = serve_command(args.server, extra=niced_extra)
                        niced = stack.enter_context(
                            _serving("niced hashing", niced_command, env, scratch)
                        )
                        _wrk.run(wrk, niced.base_url, warm_up, storm.list_mode)
                        name = f"{NICED} {args.hash_nice}"
                        order.append((name, niced, niced_lag, niced))
                    for round_number in range(1, args.rounds + 1):
                        shift = (round_number - 1) % len(order)
                        print(f"round {round_number}")
                        for name, server, lags, storm_target in order[shift:] + order[:shift]:
                            storm.run(name, round_number, server, lags, storm_target, [target])
            if not args.no_control:
                inline_lag = scratch / "loop-lag-inline.txt"
                inline = serve_command(
                    args.server, extra=["--loop-lag", str(inline_lag), "--inline-hashing"]
                )
                with _serving("inline hashing", inline, env, scratch) as control:
                    _wrk.run(wrk, control.base_url, warm_up, storm.list_mode)
                    print("control")
                    storm.run(INLINE, 1, control, inline_lag, control, [])
        finally:
            _clean_redis(args.redis_url, prefix)
    load_after = _machine.load_average()
    phases = storm.phases
    print()
    print(table(phases))
    print()
    for line in ratios(phases):
        print(line)
    for line in loop_shares(phases):
        print(line)
    alone = [p for p in phases if p.name == ALONE]
    if alone:
        print(
            f"list alone: {_median(alone, lambda p: p.list_ms):.2f} ms of server CPU per "
            f"request (median)"
        )
    print(f"load average   {load_before} before, {load_after} after")
    print(f"time           {time.perf_counter() - started:.0f} s")
    print(f"command        {command}")
    if args.json is not None:
        report = {
            "command": command,
            "machine": {"cores": os.cpu_count(), "cpu": _machine.cpu_model()},
            "versions": found,
            "argon2_verify_cpu_ms": round(verify_ms, 1),
            "load_average": {"before": load_before, "after": load_after},
            "phases": [p.as_dict() for p in phases],
            "ratios": ratios(phases),
            "loop_thread": loop_shares(phases),
        }
        args.json.write_text(json.dumps(report, indent=2) + "\n")
        print(f"json           {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
