"""P8: throughput of two `project serve` instances behind nginx over one, on list and search.

    .venv/bin/python -m benchmarks.scale_out [--quick] [--duration 15] [--warm-up 3]
        [--connections 16] [--rounds 3] [--configs one,two,workers2] [--scenarios list,search]
        [--json FILE]

REQUIREMENTS P8: "2 instances behind nginx give >= 1.7x the throughput of one on list and
search (on a machine with the cores for it; record the cores used)".

Data, servers and load are those of `benchmarks.http_load` (its datasets in the shared
PostgreSQL, reused when built; `project serve` with PostgreSQL, Redis under a fresh key
prefix, PROJECT_ENV=production, limits raised; wrk with benchmarks/wrk/bench.lua), with the
read cache off (PROJECT_READ_CACHE=false) in both scenarios, so that every request does its
work in the app and PostgreSQL (a cache of first pages would make the list trivially scale,
and the rounds repeat the search queries):

  list    GET /api/v1/bookmarks?limit=50 of the list dataset's user (100k bookmarks), bearer JWT
  search  GET /api/v1/bookmarks?q=<3 words #tag>&limit=50 on the search dataset (1M bookmarks
          over 10 users): ~16,000 different queries, ~4,000 others for the warm-ups

Configurations, all reached through nginx (the site config of deploy/nginx/, rendered by its
render.py with these upstreams and the TLS taken out: plain HTTP on a free loopback port; run
by `_nginx.NginxProcess`, as tests/scale runs it, with worker_processes --nginx-workers):

  one       nginx -> 1 instance (`project serve --workers 1`)
  two       nginx -> 2 instances (`project serve --workers 1` each, own port, same PostgreSQL
            and Redis)
  workers2  nginx -> 1 instance with `--workers 2` (a reference: two processes, one port)

All the instances and nginx processes of a scenario run for its whole length (the idle ones
use next to no CPU); the configurations take turns within each round (one, two, workers2, one,
two, ...), each run after --warm-up seconds of the same load through the same nginx. Per run:
req/s, p50/p95 latency, errors (connection errors and non-2xx/3xx answers), and the CPU
seconds of each group over the run, as cores busy on average: the app instances (their process
trees), nginx (master and workers), PostgreSQL (the backends of the dataset's database, and
the postmaster with the backends it reaped: connections closed during the run), Redis
(the whole server), wrk, steal (the hypervisor's) and everything else on the machine
("others": other users of the shared machine, PostgreSQL's background processes).
The machine's cores (os.cpu_count(), this process's affinity, which every process started here
inherits) and its load before the start are printed too. The machine may be shared: a run
during which the others kept more than --max-others cores busy is repeated (up to --repeats
times; of the attempts, the one with the least others' load stands), and the attempts that
do not stand are listed, marked "noisy", but left out of the medians.

The ratio two/one is that of the median req/s over the rounds; each round's ratio is shown.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shlex
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn

from benchmarks import _dataset, _machine, _nginx, _wrk
from benchmarks._dataset import Dataset, DatasetSpec
from benchmarks._wrk import Load, WrkResult
from benchmarks.http_load import (
    CONSOLE_SCRIPT,
    LIST_PATH,
    NO_CACHE_SETTING,
    Server,
    _clean_redis,
    _facts,
    _fetch,
    _login,
    _project_env,
    _seconds,
    _secret,
    _serving,
    add_dataset_arguments,
    cache_off_env,
    search_lines,
    search_request,
)

P8_RATIO = 1.7
TOKEN_REFRESH_SECONDS = 600.0  # access tokens live 15 minutes: sign in again before
IDLE_SAMPLE_SECONDS = 3.0
GROUPS = ("app", "nginx", "postgres", "redis", "wrk", "others", "steal")


@dataclass(frozen=True)
class Config:
    name: str
    label: str
    instances: int
    workers: int


CONFIGS = {
    "one": Config("one", "nginx -> 1 instance, --workers 1", 1, 1),
    "two": Config("two", "nginx -> 2 instances, --workers 1 each", 2, 1),
    "workers2": Config("workers2", "nginx -> 1 instance, --workers 2", 1, 2),
}


# --- CPU by process group --------------------------------------------------------------------


@dataclass(frozen=True)
class Counters:
    """CPU seconds since start (processes) or boot (machine), read at one moment."""

    instances: dict[str, float]  # each app instance's process tree
    nginx: float
    postgres: dict[int, float]  # backends of the dataset's database, by pid
    postmaster: float  # its own CPU and that of the backends it reaped (closed connections)
    redis: dict[int, float]
    wrk: float  # waited-for children: the wrk runs
    steal: float
    busy: float
    total: float


def _by_pid(match: Callable[[str], bool]) -> dict[int, float]:
    return {pid: _machine.process_cpu(pid) for pid in _machine.pids(match)}


def _delta(before: dict[int, float], after: dict[int, float]) -> float:
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())


def _sessions(admin_url: str, database: str) -> int:
    """Connections opened to `database` since its statistics were reset (PostgreSQL 14+)."""
    import asyncpg  # type: ignore[import-untyped]

    async def count() -> int:
        connection = await asyncpg.connect(admin_url)
        try:
            value = await connection.fetchval(
                "SELECT sessions FROM pg_stat_database WHERE datname = $1", database
            )
            return int(value or 0)
        finally:
            await connection.close()

    return asyncio.run(count())


def _postmaster_cpu(backends: dict[int, float]) -> float:
    """CPU of the postmaster (the backends' parent): its own, and that of the backends it
    reaped, so that connections opened and closed during a run count too (those of other
    databases as well: PostgreSQL is shared)."""
    for backend in backends:
        postmaster, _ = _machine.reaped_cpu(backend)
        if postmaster > 1:
            _, reaped = _machine.reaped_cpu(postmaster)
            return _machine.process_cpu(postmaster) + reaped
    return 0.0


@dataclass
class Cluster:
    """The running processes of one scenario: app instances by name, nginx by config."""

    instances: dict[str, Server] = field(default_factory=dict)
    nginx: dict[str, _nginx.NginxProcess] = field(default_factory=dict)

    def base_url(self, config: str) -> str:
        return f"http://{_nginx.HOST}:{self.nginx[config].port}"

    def counters(self, database: str) -> Counters:
        needle = f" {database} "
        backends = _by_pid(lambda cmd: cmd.startswith("postgres:") and needle in cmd)
        busy, total = _machine.machine_cpu()
        return Counters(
            instances={
                name: _machine.process_tree_cpu(server.process.pid)
                for name, server in self.instances.items()
            },
            nginx=sum(
                _machine.process_tree_cpu(proxy.process.pid)
                for proxy in self.nginx.values()
                if proxy.process is not None
            ),
            postgres=backends,
            postmaster=_postmaster_cpu(backends),
            redis=_by_pid(lambda cmd: cmd.startswith("redis-server")),
            wrk=_machine.children_cpu(),
            steal=_machine.steal_cpu(),
            busy=busy,
            total=total,
        )


def _spent(before: Counters, after: Counters, cores: int) -> tuple[dict[str, float], float]:
    """(CPU seconds by group, the elapsed seconds the machine's counters saw)."""
    instances = {name: after.instances[name] - before.instances[name] for name in after.instances}
    spent = {
        "app": sum(instances.values()),
        "nginx": after.nginx - before.nginx,
        "postgres": _delta(before.postgres, after.postgres) + after.postmaster - before.postmaster,
        "redis": _delta(before.redis, after.redis),
        "wrk": after.wrk - before.wrk,
        "steal": after.steal - before.steal,
    }
    busy = after.busy - before.busy
    spent["others"] = max(0.0, busy - sum(spent.values()))
    spent |= {f"app {name}": cpu for name, cpu in instances.items()}
    spent["busy"] = busy
    return spent, (after.total - before.total) / max(cores, 1)


# --- runs ------------------------------------------------------------------------------------


@dataclass
class Run:
    scenario: str
    config: str
    round: int
    result: WrkResult
    cpu: dict[str, float]  # CPU seconds by group (and by instance: "app a", ...), "busy"
    wall: float
    load_average: str
    sessions: int  # PostgreSQL connections opened to the database during the run
    accepted: bool = True  # False: a repeat with less load from others stands in its place

    def cores(self, group: str) -> float:
        return self.cpu.get(group, 0.0) / max(self.wall, 1e-9)

    def as_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "config": self.config,
            "round": self.round,
            **self.result.as_dict(),
            "cpu_seconds": {name: round(value, 3) for name, value in self.cpu.items()},
            "elapsed_s": round(self.wall, 3),
            "load_average_after": self.load_average,
            "postgresql_sessions_opened": self.sessions,
            "accepted": self.accepted,
            "wrk": " ".join(self.result.command),
        }


@dataclass
class Scenario:
    name: str
    dataset: Dataset
    request: str
    lines: Callable[[str], tuple[list[str], list[str]]]  # nginx URL -> (warm-up, measured)


@dataclass
class Bench:
    args: argparse.Namespace
    wrk: str
    scratch: Path
    nginx_binary: str
    runs: list[Run] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def cores(self) -> int:
        return os.cpu_count() or 1

    def paths_file(self, name: str, lines: list[str]) -> Path:
        path = self.scratch / f"{name}.paths"
        path.write_text("\n".join(lines) + "\n")
        return path

    @contextlib.contextmanager
    def cluster(self, env: dict[str, str], configs: list[str]) -> Iterator[Cluster]:
        """The instances the configurations need ("a", and "b" for two, "w2" for workers2),
        then an nginx per configuration; all stopped on the way out."""
        cluster = Cluster()
        wanted = {"a": 1} if {"one", "two"} & set(configs) else {}
        wanted |= {"b": 1} if "two" in configs else {}
        wanted |= {"w2": 2} if "workers2" in configs else {}
        with contextlib.ExitStack() as stack:
            for name, workers in wanted.items():
                command = [str(CONSOLE_SCRIPT), "serve", "--workers", str(workers)]
                cluster.instances[name] = stack.enter_context(
                    _serving(f"instance {name}", command, env, self.scratch)
                )
            renderer = _nginx.load_renderer()
            for config in configs:
                members = {"one": ["a"], "two": ["a", "b"], "workers2": ["w2"]}[config]
                directory = self.scratch / f"nginx-{config}"
                directory.mkdir(exist_ok=True)
                port = _nginx.free_port()
                site = _nginx.plain_http_site(
                    renderer,
                    directory,
                    [f"{_nginx.HOST}:{cluster.instances[m].port}" for m in members],
                    port,
                    origin=" (benchmarks/scale_out.py: TLS taken out)",
                )
                proxy = _nginx.NginxProcess(
                    self.nginx_binary,
                    directory,
                    site,
                    port,
                    worker_processes=self.args.nginx_workers,
                )
                checked = proxy.check()
                if checked.returncode != 0:
                    raise RuntimeError(f"nginx -t failed:\n{checked.stderr}")
                proxy.start()
                stack.callback(proxy.stop)
                cluster.nginx[config] = proxy
                print(
                    f"nginx          {config}: port {port} -> "
                    + ", ".join(f"{m} :{cluster.instances[m].port}" for m in members)
                )
            yield cluster

    def measure(
        self,
        scenario: Scenario,
        cluster: Cluster,
        config: str,
        round_: int,
        files: tuple[Path, Path],
    ) -> Run:
        base_url = cluster.base_url(config)
        warm_up, measured = files
        if self.args.warm_up > 0:
            load = Load(self.args.connections, self.args.warm_up, self.args.threads)
            _wrk.run(self.wrk, base_url, load, ["paths", str(warm_up)])
        database = scenario.dataset.spec.database
        load = Load(self.args.connections, self.args.duration, self.args.threads)
        sessions = _sessions(self.args.admin_url, database)
        before = cluster.counters(database)
        result = _wrk.run(self.wrk, base_url, load, ["paths", str(measured)])
        after = cluster.counters(database)
        sessions = _sessions(self.args.admin_url, database) - sessions
        cpu, wall = _spent(before, after, self.cores)
        run = Run(
            scenario.name, config, round_, result, cpu, wall, _machine.load_average(), sessions
        )
        self.runs.append(run)
        latency = result.latency_ms
        print(
            f"  {scenario.name:<7}{config:<9} round {round_}  {result.rate:8,.0f} req/s"
            f"  p50 {latency['p50']:7.2f} ms  p95 {latency['p95']:7.2f}  errors {result.failed}"
            + (f" (last status {result.last_bad_status})" if result.last_bad_status else "")
            + "  cores: "
            + " ".join(f"{group} {run.cores(group):.2f}" for group in GROUPS)
            + f"  new db connections {sessions}"
        )
        return run


def _run_scenario(
    bench: Bench, scenario: Scenario, env: dict[str, str], configs: list[str]
) -> None:
    print(f"scenario       {scenario.name}: {scenario.request}")
    with bench.cluster(env, configs) as cluster:
        signed_in = -TOKEN_REFRESH_SECONDS
        files: tuple[Path, Path] | None = None
        for round_ in range(1, bench.args.rounds + 1):
            if files is None or time.monotonic() - signed_in > TOKEN_REFRESH_SECONDS:
                signed_in = time.monotonic()
                warm_up, measured = scenario.lines(cluster.base_url(configs[0]))
                files = (
                    bench.paths_file(f"{scenario.name}-warm-up", warm_up),
                    bench.paths_file(scenario.name, measured),
                )
            for config in configs:
                attempts = [bench.measure(scenario, cluster, config, round_, files)]
                while (
                    attempts[-1].cores("others") > bench.args.max_others
                    and len(attempts) <= bench.args.repeats
                ):
                    print(
                        f"    others used {attempts[-1].cores('others'):.2f} cores (more than "
                        f"--max-others {bench.args.max_others:g}): run repeated"
                    )
                    attempts.append(bench.measure(scenario, cluster, config, round_, files))
                quietest = min(attempts, key=lambda run: run.cores("others"))
                for run in attempts:
                    run.accepted = run is quietest


def _list_scenario(dataset: Dataset) -> Scenario:
    _, email = dataset.users[0]

    def lines(base_url: str) -> tuple[list[str], list[str]]:
        bearer = f"Bearer {_login(base_url, email)}"
        items = len(json.loads(_fetch(base_url, LIST_PATH, bearer))["items"])
        if items != 50:
            raise RuntimeError(f"the list page holds {items} bookmarks, not 50")
        line = [f"{LIST_PATH}\t{bearer}"]
        return line, line

    request = f"GET {LIST_PATH}, Bearer JWT, {dataset.spec.bookmarks:,} bookmarks of one user"
    return Scenario("list", dataset, request, lines)


def _search_scenario(dataset: Dataset, seed: int, notes: list[str]) -> Scenario:
    def lines(base_url: str) -> tuple[list[str], list[str]]:
        warm_up, measured, note = search_lines(base_url, dataset, seed)
        if note not in notes:
            notes.append(note)
            print(f"  {note}")
        return warm_up, measured

    return Scenario("search", dataset, search_request(dataset), lines)


# --- the report ------------------------------------------------------------------------------


@dataclass
class Summary:
    scenario: str
    config: str
    runs: list[Run]

    @property
    def rates(self) -> list[float]:
        return [run.result.rate for run in self.runs]

    @property
    def rate(self) -> float:
        return statistics.median(self.rates)

    def latency(self, key: str) -> float:
        return statistics.median(run.result.latency_ms[key] for run in self.runs)

    @property
    def errors(self) -> int:
        return sum(run.result.failed for run in self.runs)

    def cores(self, group: str) -> float:
        """Cores busy on average over all the runs."""
        wall = sum(run.wall for run in self.runs)
        return sum(run.cpu.get(group, 0.0) for run in self.runs) / max(wall, 1e-9)

    def ms_per_request(self, group: str) -> float:
        requests = sum(run.result.requests for run in self.runs)
        return sum(run.cpu.get(group, 0.0) for run in self.runs) * 1000 / max(requests, 1)


def _summaries(runs: list[Run]) -> dict[tuple[str, str], Summary]:
    summaries: dict[tuple[str, str], Summary] = {}
    for run in runs:
        if not run.accepted:
            continue
        key = (run.scenario, run.config)
        summaries.setdefault(key, Summary(run.scenario, run.config, [])).runs.append(run)
    return summaries


def _runs_table(runs: list[Run]) -> str:
    rows = [
        "| scenario | config | round | req/s | p50 ms | p95 ms | errors | app | nginx | postgres "
        "| redis | wrk | others | steal | busy (of the cores) | new db connections |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for run in runs:
        latency = run.result.latency_ms
        rows.append(
            f"| {run.scenario} | {run.config} | {run.round}{'' if run.accepted else ' (noisy)'} | "
            f"{run.result.rate:,.0f} | "
            f"{latency['p50']:.1f} | {latency['p95']:.1f} | {run.result.failed} | "
            + " | ".join(f"{run.cores(group):.2f}" for group in GROUPS)
            + f" | {run.cores('busy'):.2f} | {run.sessions} |"
        )
    return "\n".join(rows)


def _summary_table(summaries: dict[tuple[str, str], Summary]) -> str:
    rows = [
        "| scenario | config | req/s (median) | rounds | x one | p50 ms | p95 ms | errors "
        "| app cores | busy cores | app CPU ms/req | all CPU ms/req |",
        "|---|---|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for (scenario, config), summary in summaries.items():
        one = summaries.get((scenario, "one"))
        ratio = f"{summary.rate / one.rate:.2f}" if one is not None and one.rate else "-"
        rounds = ", ".join(f"{rate:,.0f}" for rate in summary.rates)
        all_ms = sum(summary.ms_per_request(group) for group in GROUPS if group != "steal")
        rows.append(
            f"| {scenario} | {config} | {summary.rate:,.0f} | {rounds} | {ratio} | "
            f"{summary.latency('p50'):.1f} | {summary.latency('p95'):.1f} | {summary.errors} | "
            f"{summary.cores('app'):.2f} | {summary.cores('busy'):.2f} | "
            f"{summary.ms_per_request('app'):.2f} | {all_ms:.2f} |"
        )
    return "\n".join(rows)


def _verdicts(summaries: dict[tuple[str, str], Summary], cores: int) -> list[str]:
    lines = []
    for scenario in dict.fromkeys(key[0] for key in summaries):
        one, two = summaries.get((scenario, "one")), summaries.get((scenario, "two"))
        if one is None or two is None or not one.rate:
            continue
        ratio = two.rate / one.rate
        per_round = ", ".join(
            f"{b.result.rate / a.result.rate:.2f}"
            for a, b in zip(one.runs, two.runs, strict=False)
            if a.result.rate
        )
        errors = one.errors + two.errors
        lines.append(
            f"P8 {scenario}: two/one = {ratio:.2f}x by median req/s (rounds: {per_round}); "
            f"target >= {P8_RATIO}x: {'met' if ratio >= P8_RATIO else 'NOT met'} on {cores} "
            f"cores" + (f"; {errors} errors" if errors else "")
        )
        # What the app does per request against what every process does for it: one instance
        # runs its event loop on one core at most, so two at 1.7x its single-core rate need
        # 1.7 x (all CPU per request / the app's) cores.
        app_ms = one.ms_per_request("app")
        all_ms = sum(one.ms_per_request(g) for g in ("app", "nginx", "postgres", "redis", "wrk"))
        if app_ms:
            lines.append(
                f"   {scenario}, one instance: app {one.cores('app'):.2f} cores busy, machine "
                f"{one.cores('busy'):.2f} of {cores}; two: app {two.cores('app'):.2f}, machine "
                f"{two.cores('busy'):.2f}. Per request: app {app_ms:.2f} ms CPU, nginx "
                f"{one.ms_per_request('nginx'):.2f}, PostgreSQL "
                f"{one.ms_per_request('postgres'):.2f}, Redis {one.ms_per_request('redis'):.2f},"
                f" wrk {one.ms_per_request('wrk'):.2f}: {P8_RATIO}x the rate of one instance "
                f"with a core to itself keeps at least {P8_RATIO * all_ms / app_ms:.1f} cores "
                f"busy ({P8_RATIO * (all_ms - one.ms_per_request('wrk')) / app_ms:.1f} with "
                f"wrk on another machine), before any contention; this machine has {cores}"
            )
    return lines


# --- main ------------------------------------------------------------------------------------


def _arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").split("\n")[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--duration", type=_seconds, default=15.0, help="seconds per run")
    parser.add_argument("--warm-up", type=_seconds, default=3.0, help="seconds before each run")
    parser.add_argument("--connections", type=int, default=16, help="wrk's open connections")
    parser.add_argument(
        "--threads", type=int, default=1, help="wrk threads (1 leaves the cores to the servers)"
    )
    parser.add_argument("--rounds", type=int, default=3, help="runs of each configuration")
    parser.add_argument(
        "--configs",
        type=_names(CONFIGS),
        default=",".join(CONFIGS),
        help=f"comma-separated, in the order of each round: {', '.join(CONFIGS)}",
    )
    parser.add_argument(
        "--scenarios",
        type=_names({"list": None, "search": None}),
        default="list,search",
        help="comma-separated: list, search",
    )
    parser.add_argument(
        "--max-others",
        type=float,
        default=0.3,
        help="cores: a run during which other processes of the machine kept more than this "
        "busy is repeated (up to --repeats times); the attempt with the least such load stands",
    )
    parser.add_argument("--repeats", type=int, default=2, help="see --max-others")
    parser.add_argument(
        "--nginx-workers", default="auto", help="nginx's worker_processes (Debian's: auto)"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a smoke run of about 2 minutes: 10k/50k bookmarks, 2 rounds of 3 s runs",
    )
    add_dataset_arguments(parser)
    parser.add_argument("--search-bookmarks", type=int, default=1_000_000)
    parser.add_argument("--search-users", type=int, default=10)
    parser.add_argument("--regenerate", action="store_true", help="rebuild the datasets")
    parser.add_argument(
        "--server-env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra environment for `project serve` (repeatable)",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.bookmarks, args.users = 10_000, 1
        args.search_bookmarks, args.search_users = 50_000, 5
        args.duration, args.warm_up, args.rounds = 3.0, 1.0, 2
    return args


def _names(known: dict[str, Any]) -> Callable[[str], list[str]]:
    def parse(text: str) -> list[str]:
        names = [name.strip() for name in text.split(",") if name.strip()]
        unknown = [name for name in names if name not in known]
        if unknown or not names:
            raise argparse.ArgumentTypeError(f"expected some of {', '.join(known)}")
        return list(dict.fromkeys(names))

    return parse


def _terminate(signum: int, frame: FrameType | None) -> NoReturn:
    raise SystemExit(128 + signum)  # unwinds: the servers and nginx are stopped, files removed


def _idle_load(seconds: float) -> tuple[float, float]:
    """(cores busy, cores stolen) on average over `seconds`, before anything starts here."""
    busy, total = _machine.machine_cpu()
    steal = _machine.steal_cpu()
    time.sleep(seconds)
    busy_after, total_after = _machine.machine_cpu()
    wall = (total_after - total) / (os.cpu_count() or 1)
    return (busy_after - busy) / max(wall, 1e-9), (_machine.steal_cpu() - steal) / max(wall, 1e-9)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    try:
        wrk_binary = _wrk.find_wrk()
    except _wrk.WrkMissing as error:
        print(f"scale_out: {error}", file=sys.stderr)
        return 2
    nginx_binary = _nginx.nginx_binary()
    if nginx_binary is None:
        print("scale_out: nginx is not installed (apt-get install -y nginx)", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _terminate)
    command = shlex.join([Path(sys.executable).name, "-m", "benchmarks.scale_out", *sys.argv[1:]])
    facts = _facts(args, wrk_binary)
    cores = os.cpu_count() or 1
    affinity = sorted(os.sched_getaffinity(0))
    facts |= {"affinity": affinity, "nginx": _nginx_version(nginx_binary)}
    print(f"machine        {cores} CPUs, {facts['cpu']}, {facts['memory_gib']} GiB")
    print(
        f"cores used     all: os.cpu_count() {cores}, affinity {affinity} (inherited by every "
        "server, nginx, wrk; PostgreSQL and Redis run on the same cores)"
    )
    print(
        f"software       Python {facts['python']}, PostgreSQL {facts['postgresql']}, Redis "
        f"{facts['redis']}, {facts['nginx']}, {facts['wrk']}, uvicorn {facts['uvicorn']}"
    )
    load_before = _machine.load_average()
    idle_busy, idle_steal = _idle_load(IDLE_SAMPLE_SECONDS)
    print(
        f"others' load   {idle_busy:.2f} cores busy (steal {idle_steal:.2f}) over "
        f"{IDLE_SAMPLE_SECONDS:g} s before the start; load average {load_before}"
    )
    started = time.perf_counter()
    datasets: dict[str, Dataset] = {}
    if "list" in args.scenarios:
        spec = DatasetSpec(args.bookmarks, args.users, args.seed)
        datasets["list"] = asyncio.run(
            _dataset.ensure(args.admin_url, spec, regenerate=args.regenerate)
        )
    if "search" in args.scenarios:
        spec = DatasetSpec(args.search_bookmarks, args.search_users, args.seed)
        datasets["search"] = asyncio.run(
            _dataset.ensure(args.admin_url, spec, regenerate=args.regenerate)
        )
    cache_off = cache_off_env()
    cache = (
        "read cache off (" + " ".join(f"{k}={v}" for k, v in cache_off.items()) + ")"
        if cache_off
        else NO_CACHE_SETTING
    )
    prefix = f"bench-scale-{uuid.uuid4().hex[:8]}:"
    secret = _secret()
    print(
        f"load           wrk -t{args.threads} -c{args.connections} through nginx, "
        f"{args.duration:g} s per run after {args.warm_up:g} s of warm-up, {args.rounds} rounds "
        f"of {', '.join(args.configs)}; {cache}; nginx worker_processes {args.nginx_workers}"
    )
    measured = time.perf_counter()
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as scratch_dir:
        scratch = Path(scratch_dir)
        scratch.chmod(0o755)  # nginx's workers (nobody, under root) write their temp files here
        bench = Bench(args, wrk_binary, scratch, nginx_binary, notes=notes)
        try:
            for name, dataset in datasets.items():
                env = _project_env(args, scratch, dataset.url, prefix, secret)
                env |= cache_off | {"PROJECT_TRUSTED_PROXIES": _nginx.HOST}
                scenario = (
                    _list_scenario(dataset)
                    if name == "list"
                    else _search_scenario(dataset, args.seed, notes)
                )
                _clean_redis(args.redis_url, prefix)
                _run_scenario(bench, scenario, env, args.configs)
        except KeyboardInterrupt:
            print("\ninterrupted: servers and nginx stopped, files removed", file=sys.stderr)
            return 130
        finally:
            _clean_redis(args.redis_url, prefix)
    load_after = _machine.load_average()
    summaries = _summaries(bench.runs)
    verdicts = _verdicts(summaries, cores)
    print()
    print("CPU in cores busy on average over each run (of " + f"{cores}):")
    print(_runs_table(bench.runs))
    print()
    print(_summary_table(summaries))
    print()
    for line in [*verdicts, *notes]:
        print(line)
    print(f"load average   {load_before} before, {load_after} after")
    print(
        f"time           {time.perf_counter() - started:.0f} s in all, "
        f"{time.perf_counter() - measured:.0f} s of servers and load"
    )
    print(f"command        {command}")
    if args.json is not None:
        report = {
            "command": command,
            "machine": facts,
            "others_before": {"busy_cores": round(idle_busy, 3), "steal_cores": idle_steal},
            "load_average": {"before": load_before, "after": load_after},
            "datasets": {name: dataset.spec.database for name, dataset in datasets.items()},
            "load": {
                "connections": args.connections,
                "threads": args.threads,
                "duration_s": args.duration,
                "warm_up_s": args.warm_up,
                "rounds": args.rounds,
                "configs": {name: CONFIGS[name].label for name in args.configs},
                "read_cache": cache,
                "nginx_worker_processes": args.nginx_workers,
            },
            "runs": [run.as_dict() for run in bench.runs],
            "verdicts": verdicts,
            "notes": notes,
        }
        args.json.write_text(json.dumps(report, indent=2) + "\n")
        print(f"json           {args.json}")
    return 0


def _nginx_version(binary: str) -> str:
    done = subprocess.run(  # noqa: S603 - our own arguments
        [binary, "-v"], capture_output=True, text=True, check=False
    )
    return (done.stderr or done.stdout).strip().removeprefix("nginx version: ")


if __name__ == "__main__":
    sys.exit(main())
