"""P1-P3: HTTP throughput and latency of `project serve` against two anchors, with wrk.

    .venv/bin/python -m benchmarks.http_load [--quick] [--duration 10] [--connections 16]
        [--bookmarks 100000 --users 1] [--search-bookmarks 1000000 --search-users 10]
        [--regenerate] [--json FILE] [--profile-dir DIR]

Needs PostgreSQL (--admin-url, a superuser: it creates databases), Redis (--redis-url) and
wrk (Debian's `wrk` package). Data: two generated datasets (see `_dataset`), each in its own
database, built on the first run (a few minutes for 1.1M bookmarks) and reused afterwards:
100k bookmarks of one user for the list scenarios (P1, P2), 1M over 10 users for search (P3).

Each server is started in turn, alone, so none competes with another for the CPUs:
`project serve` (1 worker, PROJECT_ENV=production, Redis with a fresh key prefix, rate and
login limits raised out of the way, archive-on-save off, log level WARNING); the floor
(`_floor_app`: a bare Litestar app answering the same list JSON from memory) and the naive
baseline (`_naive_app`: Litestar + SQLAlchemy ORM running the same query per request, no cache),
both under `uvicorn.run` with the same arguments as `project serve`. Load: wrk, one thread,
--connections open connections, --duration seconds per scenario after --warm-up seconds of
the same requests (none before "list (cold)", which follows a warm-up on another route that
fills the connection pool).

Scenarios, on `project serve` (the list dataset's user unless said):
  list (cold)    GET /api/v1/bookmarks?limit=50, bearer JWT, on a server with the read cache
                 off (PROJECT_READ_CACHE=false): every request does the uncached work (P1)
  list (cached)  the same on a server as deployed (read cache on with Redis), warmed up (P2)
  get            GET /api/v1/bookmarks/{id}, 1,000 ids in turn
  search         GET /api/v1/bookmarks?q=3 words #tag&limit=50 on the search dataset, ~20,000
                 queries of its 10 users, each taken from one of the user's bookmarks and
                 asked once (a cache of first pages answers none of them; the warm-up has
                 queries of its own) (P3)
  create         POST /api/v1/bookmarks, a new URL every request (deleted afterwards)
  login          POST /api/v1/auth/login over 4 x --connections accounts in turn (argon2id:
                 expect low figures; concurrent logins on one account would trip its backoff)
  linkding list  GET /api/bookmarks/?limit=50 with `Authorization: Token pat_...`
and the anchors: floor and naive, the list request. Each scenario's req/s is divided by the
floor's and by the naive baseline's. CPU seconds of the server process and of the database's
backends are counted per request, and those of every other process on the machine (other
work sharing the cores) per second: throughput on a shared machine moves with that load,
CPU per request much less, so "x floor, CPU" (the floor's server CPU per request over the
scenario's) is printed too. `--profile-dir` samples each server with py-spy (which slows it).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from benchmarks import _dataset, _machine, _profile, _wrk
from benchmarks._dataset import Dataset, DatasetSpec
from benchmarks._wrk import Load, WrkResult

DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
CONSOLE_SCRIPT = Path(sys.executable).parent / "project"
LIST_PATH = "/api/v1/bookmarks?limit=50"
LINKDING_PATH = "/api/bookmarks/?limit=50"
P1_FLOOR, P1_NAIVE, P2_FLOOR, P3_P95_MS = 0.25, 3.0, 0.5, 50.0
PY_SPY_RATE = 250
SEARCH_QUERIES = 20_000  # more than a run sends: no query is asked twice
NO_CACHE_SETTING = "no read-cache setting found: cold and cached measure the same thing"


def cache_off_env() -> dict[str, str]:
    """The environment that turns the read cache off, if this version of the app has one."""
    import msgspec

    from project.entrypoints.settings import Settings

    names = {f.name for f in msgspec.structs.fields(Settings)}
    return {"PROJECT_READ_CACHE": "false"} if "read_cache" in names else {}


# --- servers --------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def _wait_ready(server: Server, patience: float = 60.0) -> float:
    import httpx

    started = time.perf_counter()
    while time.perf_counter() - started < patience:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"{server.name} exited with {server.process.returncode}:\n{server.tail()}"
            )
        try:
            if httpx.get(f"{server.base_url}/health/live", timeout=2).status_code == 200:
                return time.perf_counter() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{server.name} not ready after {patience:.0f} s:\n{server.tail()}")


@contextlib.contextmanager
def _serving(name: str, command: list[str], env: dict[str, str], scratch: Path) -> Iterator[Server]:
    port = _free_port()
    log = scratch / f"{name.replace(' ', '-')}-{port}.log"
    with log.open("ab") as out:
        process = subprocess.Popen(  # noqa: S603 - our own command
            [*command, "--port", str(port)], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    server = Server(name, process, port, log)
    try:
        ready = _wait_ready(server)
        print(f"server         {name} on port {port}, ready in {ready:.1f} s")
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _project_env(
    args: argparse.Namespace, scratch: Path, database_url: str, prefix: str, secret: str
) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PROJECT_")}
    env |= {
        "PROJECT_ENV": "production",
        "PROJECT_SECRET_KEY": secret,
        "PROJECT_PUBLIC_URL": "https://bench.invalid",
        "PROJECT_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PROJECT_DATA_DIR": str(scratch / "data"),
        "PROJECT_DATABASE_URL": database_url,
        "PROJECT_AUTO_MIGRATE": "false",
        "PROJECT_REDIS_URL": args.redis_url,
        "PROJECT_REDIS_PREFIX": prefix,
        "PROJECT_ARCHIVE_ON_SAVE": "false",
        "PROJECT_LOG_LEVEL": "WARNING",
        # Limits out of the way: the benchmark measures the work, not the limiter's refusals
        # (the limiter's own Redis calls still run on every request).
        "PROJECT_API_USER_REQUESTS_PER_MINUTE": "1000000",
        "PROJECT_API_ANONYMOUS_REQUESTS_PER_MINUTE": "1000000",
        "PROJECT_LOGIN_IP_ATTEMPTS": "1000000",
        "PROJECT_LOGIN_ACCOUNT_FAILURES_PER_HOUR": "100000",
    }
    for item in args.server_env:
        key, _, value = item.partition("=")
        env[key] = value
    return env


def _secret() -> str:
    while True:  # the settings refuse secrets that contain words like "secret" or "example"
        candidate = secrets.token_urlsafe(48)
        lowered = candidate.casefold().replace("-", "").replace("_", "")
        if not any(w in lowered for w in ("changeme", "secret", "password", "example", "default")):
            return candidate


def _clean_redis(url: str, prefix: str) -> int:
    import redis

    client = redis.Redis.from_url(url)
    try:
        keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
        if keys:
            client.delete(*keys)
        return len(keys)
    finally:
        client.close()


# --- the API, for the setup -----------------------------------------------------------------


def _login(base_url: str, email: str) -> str:
    import httpx

    response = httpx.post(
        f"{base_url}/api/v1/auth/login",
        json={"email": email, "password": _dataset.PASSWORD},
        timeout=30,
    )
    response.raise_for_status()
    return str(response.json()["access_token"])


def _personal_token(base_url: str, access: str) -> str:
    import httpx

    response = httpx.post(
        f"{base_url}/api/v1/tokens/",
        json={"name": f"bench {secrets.token_hex(3)}", "scopes": ["read"]},
        headers={"Authorization": f"Bearer {access}"},
        timeout=30,
    )
    response.raise_for_status()
    return str(response.json()["secret"])


def _fetch(base_url: str, path: str, authorization: str) -> bytes:
    import httpx

    response = httpx.get(f"{base_url}{path}", headers={"Authorization": authorization}, timeout=30)
    response.raise_for_status()
    return response.content


# --- scenarios ------------------------------------------------------------------------------


@dataclass
class Outcome:
    name: str
    server: str
    request: str
    result: WrkResult
    cpu: _machine.CpuUse
    load_average: str
    note: str = ""
    ratio_floor: float | None = None
    ratio_naive: float | None = None
    cpu_ratio_floor: float | None = None  # the floor's server CPU per request over this one's

    @property
    def server_ms(self) -> float:
        """CPU milliseconds of the server process per request."""
        return self.cpu.server * 1000 / max(self.result.requests, 1)

    @property
    def database_ms(self) -> float:
        return self.cpu.database * 1000 / max(self.result.requests, 1)

    def as_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.name,
            "server": self.server,
            "request": self.request,
            **self.result.as_dict(),
            "ratio_to_floor": None if self.ratio_floor is None else round(self.ratio_floor, 3),
            "ratio_to_naive": None if self.ratio_naive is None else round(self.ratio_naive, 3),
            "server_cpu_ms_per_request": round(self.server_ms, 3),
            "database_cpu_ms_per_request": round(self.database_ms, 3),
            "cpu_ratio_to_floor": (
                None if self.cpu_ratio_floor is None else round(self.cpu_ratio_floor, 3)
            ),
            "cpu": self.cpu.as_dict(),
            "load_average_after": self.load_average,
            "note": self.note,
            "wrk": " ".join(self.result.command),
        }


@dataclass
class Bench:
    args: argparse.Namespace
    wrk: str
    scratch: Path
    outcomes: list[Outcome] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def load(self) -> Load:
        return Load(self.args.connections, self.args.duration, self.args.threads)

    @property
    def warm_up(self) -> Load:
        return Load(self.args.connections, self.args.warm_up, self.args.threads)

    def paths_file(self, name: str, lines: list[str]) -> Path:
        path = self.scratch / f"{name}.paths"
        path.write_text("\n".join(lines) + "\n")
        return path

    def measure(
        self,
        name: str,
        server: Server,
        database: str,
        mode_args: list[str],
        *,
        request: str,
        warm_up: bool = True,
        warm_up_args: list[str] | None = None,
        note: str = "",
    ) -> Outcome:
        if warm_up and self.args.warm_up > 0:
            _wrk.run(self.wrk, server.base_url, self.warm_up, warm_up_args or mode_args)
        spy, spy_output = self._py_spy(server, name)
        before = _machine.snapshot(server.process.pid, database)
        result = _wrk.run(self.wrk, server.base_url, self.load, mode_args)
        after = _machine.snapshot(server.process.pid, database)
        if spy is not None:
            spy.wait(timeout=60)
        cpu = _machine.used(before, after, os.cpu_count() or 1)
        outcome = Outcome(
            name, server.name, request, result, cpu, _machine.load_average(), note=note
        )
        self.outcomes.append(outcome)
        per_request = 1000 / max(result.requests, 1)
        print(
            f"  {name:<15} {result.rate:9,.0f} req/s  p50 {result.latency_ms['p50']:7.2f} ms"
            f"  p95 {result.latency_ms['p95']:7.2f}  p99 {result.latency_ms['p99']:7.2f}"
            f"  errors {result.failed}"
            + (f" (last status {result.last_bad_status})" if result.last_bad_status else "")
            + f"  server {cpu.server * per_request:.2f} ms CPU/req"
            f"  others {cpu.others / max(cpu.wall, 1e-9):.2f} cores"
        )
        if not result.requests:
            print(f"    no {name} request completed in {self.args.duration:g} s: try --duration")
        if spy_output is not None:
            summary = _profile.summarize(spy_output, PY_SPY_RATE)
            spy_output.with_suffix(".summary.txt").write_text(summary + "\n")
            print("    " + summary.replace("\n", "\n    "))
        return outcome

    def _py_spy(
        self, server: Server, name: str
    ) -> tuple[subprocess.Popen[bytes] | None, Path | None]:
        """py-spy recording the server for the scenario's duration, with --profile-dir."""
        if self.args.profile_dir is None:
            return None, None
        import shutil

        binary = shutil.which("py-spy", path=f"{Path(sys.executable).parent}:{os.environ['PATH']}")
        if binary is None:
            print("  --profile-dir: py-spy is not installed (pip install py-spy); not profiling")
            return None, None
        self.args.profile_dir.mkdir(parents=True, exist_ok=True)
        stem = "".join(c if c.isalnum() else "-" for c in name).strip("-")
        output = self.args.profile_dir / f"{stem}.txt"
        command = [binary, "record", "--pid", str(server.process.pid), "--rate", str(PY_SPY_RATE)]
        command += ["--duration", f"{max(1, int(self.args.duration))}", "--nonblocking"]
        command += ["--format", "raw", "--output", str(output)]
        spy = subprocess.Popen(  # noqa: S603
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(0.3)  # attached before the load starts
        return spy, output


def _project_phase(
    bench: Bench, dataset: Dataset, env: dict[str, str], prefix: str
) -> tuple[bytes, str]:
    """The scenarios on the list dataset: (the first page's body for the floor, a bearer
    Authorization value for the naive baseline).

    "list (cold)" runs on a server with the read cache off, so that every request does the
    uncached work (what P1 asks about); the other scenarios on a server as deployed (the read
    cache on, as it is by default with Redis)."""
    database = dataset.spec.database
    owner, email = dataset.users[0]
    run_id = secrets.token_hex(4)
    logins = asyncio.run(_dataset.login_accounts(dataset, 4 * bench.args.connections))
    ids = asyncio.run(_dataset.bookmark_ids(dataset, owner, 1_000))
    command = [str(CONSOLE_SCRIPT), "serve"]
    list_request = f"GET {LIST_PATH}, Bearer JWT"
    cache_off = cache_off_env()
    cold_note = (
        "read cache off (" + " ".join(f"{k}={v}" for k, v in cache_off.items()) + ")"
        if cache_off
        else NO_CACHE_SETTING
    )
    _clean_redis(bench.args.redis_url, prefix)
    with _serving("project serve", command, env | cache_off, bench.scratch) as server:
        bearer = f"Bearer {_login(server.base_url, email)}"
        get_paths = bench.paths_file("get", [f"/api/v1/bookmarks/{i}\t{bearer}" for i in ids])
        list_paths = bench.paths_file("list", [f"{LIST_PATH}\t{bearer}"])
        # Fill the connection pool and run the auth path once, without touching the list.
        _wrk.run(bench.wrk, server.base_url, bench.warm_up, ["paths", str(get_paths)])
        bench.measure(
            "list (cold)",
            server,
            database,
            ["paths", str(list_paths)],
            request=list_request,
            warm_up=False,
            note=cold_note,
        )
        body = _fetch(server.base_url, LIST_PATH, bearer)
        items = len(json.loads(body)["items"])
        if items != 50:
            raise RuntimeError(f"the list page holds {items} bookmarks, not 50")
    removed = _clean_redis(bench.args.redis_url, prefix)
    print(f"redis          {removed} keys deleted under {prefix}")
    with _serving("project serve", command, env, bench.scratch) as server:
        access = _login(server.base_url, email)
        bearer = f"Bearer {access}"
        token = f"Token {_personal_token(server.base_url, access)}"
        get_paths = bench.paths_file("get", [f"/api/v1/bookmarks/{i}\t{bearer}" for i in ids])
        list_paths = bench.paths_file("list", [f"{LIST_PATH}\t{bearer}"])
        bench.measure(
            "list (cached)",
            server,
            database,
            ["paths", str(list_paths)],
            request=list_request,
            note="read cache on, warmed up" if cache_off else NO_CACHE_SETTING,
        )
        bench.measure(
            "get",
            server,
            database,
            ["paths", str(get_paths)],
            request="GET /api/v1/bookmarks/{id}, 1,000 ids in turn",
        )
        linkding_paths = bench.paths_file("linkding", [f"{LINKDING_PATH}\t{token}"])
        bench.measure(
            "linkding list",
            server,
            database,
            ["paths", str(linkding_paths)],
            request=f"GET {LINKDING_PATH}, Token pat_...",
        )
        bench.measure(
            "create",
            server,
            database,
            ["create", bearer, run_id],
            request="POST /api/v1/bookmarks/, a new URL each",
            warm_up=False,
        )
        accounts = bench.paths_file("login", logins)
        bench.measure(
            "login",
            server,
            database,
            ["login", str(accounts), _dataset.PASSWORD],
            request=f"POST /api/v1/auth/login, {len(logins)} accounts in turn",
            warm_up=False,
            note="argon2id bound",
        )
    deleted = asyncio.run(_dataset.delete_created(dataset, f"bench-create-{run_id}."))
    print(f"cleanup        {deleted:,} bookmarks of the create scenario deleted")
    return body, bearer


def _anchor_phases(
    bench: Bench, dataset: Dataset, env: dict[str, str], body: bytes, bearer: str
) -> None:
    database = dataset.spec.database
    body_file = bench.scratch / "list-page.json"
    body_file.write_bytes(body)
    list_paths = bench.paths_file("anchor-list", [f"{LIST_PATH}\t{bearer}"])
    python = [sys.executable, "-m"]
    floor = [*python, "benchmarks._floor_app", "--body", str(body_file)]
    with _serving("floor", floor, env, bench.scratch) as server:
        bench.measure(
            "floor",
            server,
            database,
            ["paths", str(list_paths)],
            request=f"GET {LIST_PATH}: the same JSON from memory",
            note="bare Litestar, no database",
        )
    naive = [*python, "benchmarks._naive_app", "--database-url", dataset.url]
    with _serving("naive", naive, env, bench.scratch) as server:
        bench.measure(
            "naive",
            server,
            database,
            ["paths", str(list_paths)],
            request=f"GET {LIST_PATH}, Bearer JWT",
            note="Litestar + SQLAlchemy ORM, selectinload",
        )


def search_lines(base_url: str, dataset: Dataset, seed: int) -> tuple[list[str], list[str], str]:
    """wrk `paths` lines (path TAB bearer) of search queries that are all different, as real
    searches mostly are, ~20,000 over the dataset's users, each signed in on `base_url`: (a
    fifth for the warm-up, the rest to measure, a note on them with 20 queries' result counts
    asked on `base_url`)."""
    import httpx

    per_user = max(200, SEARCH_QUERIES // len(dataset.users))
    queries = asyncio.run(_dataset.search_queries(dataset, per_user, seed))
    bearers = {owner: f"Bearer {_login(base_url, email)}" for owner, email in dataset.users}
    lines = [
        f"/api/v1/bookmarks?{urlencode({'q': query, 'limit': 50})}\t{bearers[owner]}"
        for owner, query in queries
    ]
    distinct = len({query for _, query in queries})
    warm_up, measured = lines[: len(lines) // 5], lines[len(lines) // 5 :]
    found = []
    for line in warm_up[:20]:
        path, _, authorization = line.partition("\t")
        response = httpx.get(
            f"{base_url}{path}", headers={"Authorization": authorization}, timeout=30
        )
        response.raise_for_status()
        found.append(len(response.json()["items"]))
    found.sort()
    note = (
        f"search: {len(measured):,} queries ({distinct:,} distinct in all, "
        f"{len(warm_up):,} more for the warm-up) over {len(dataset.users)} users, e.g. "
        f"{queries[0][1]!r}; results on the first page, 20 sampled: median "
        f"{found[len(found) // 2]}, min {found[0]}, max {found[-1]}"
    )
    return warm_up, measured, note


def search_request(dataset: Dataset) -> str:
    return (
        f"GET /api/v1/bookmarks?q=<3 words #tag>&limit=50, "
        f"{dataset.spec.bookmarks:,} bookmarks / {dataset.spec.users} users"
    )


def _search_phase(bench: Bench, dataset: Dataset, env: dict[str, str], prefix: str) -> None:
    """Search with queries that are all different: a cache of first pages never answers one
    from memory. The warm-up has queries of its own."""
    database = dataset.spec.database
    _clean_redis(bench.args.redis_url, prefix)
    with _serving("project serve", [str(CONSOLE_SCRIPT), "serve"], env, bench.scratch) as server:
        warm_up, measured, note = search_lines(server.base_url, dataset, bench.args.seed)
        bench.notes.append(note)
        print(f"  {note}")
        bench.measure(
            "search",
            server,
            database,
            ["paths", str(bench.paths_file("search", measured))],
            warm_up_args=["paths", str(bench.paths_file("search-warm-up", warm_up))],
            request=search_request(dataset),
            note="every query a new one: cache misses",
        )


# --- the report -----------------------------------------------------------------------------


def _facts(args: argparse.Namespace, wrk_binary: str) -> dict[str, Any]:
    import asyncpg  # type: ignore[import-untyped]
    import redis

    async def postgres_version() -> str:
        connection = await asyncpg.connect(args.admin_url)
        try:
            return str(await connection.fetchval("SHOW server_version"))
        finally:
            await connection.close()

    client = redis.Redis.from_url(args.redis_url)
    try:
        redis_version = str(client.info("server").get("redis_version", "?"))
    finally:
        client.close()
    loop = "uvloop" if find_spec("uvloop") else "asyncio"
    http = "httptools" if find_spec("httptools") else "h11"
    return {
        "cores": os.cpu_count(),
        "cpu": _machine.cpu_model(),
        "memory_gib": round(_machine.memory_gib(), 1),
        "python": platform.python_version(),
        "postgresql": asyncio.run(postgres_version()),
        "redis": redis_version,
        "wrk": _wrk.version(wrk_binary),
        "uvicorn": f"{metadata.version('uvicorn')} (loop {loop}, http {http}: its 'auto')",
        "litestar": metadata.version("litestar"),
        "sqlalchemy": metadata.version("sqlalchemy"),
        "asyncpg": metadata.version("asyncpg"),
    }


def _ratios(outcomes: list[Outcome]) -> None:
    by_name = {outcome.name: outcome for outcome in outcomes}
    floor = by_name.get("floor")
    naive = by_name.get("naive")
    for outcome in outcomes:
        if floor is not None and floor.result.rate:
            outcome.ratio_floor = outcome.result.rate / floor.result.rate
        if naive is not None and naive.result.rate:
            outcome.ratio_naive = outcome.result.rate / naive.result.rate
        if floor is not None and outcome.server_ms:
            outcome.cpu_ratio_floor = floor.server_ms / outcome.server_ms


def _table(outcomes: list[Outcome]) -> str:
    head = (
        "| scenario      |  req/s | p50 ms | p95 ms | p99 ms | errors | x floor | x naive "
        "| server CPU ms/req | db CPU ms/req | x floor, CPU | others (cores) |"
    )
    rule = (
        "|---------------|-------:|-------:|-------:|-------:|-------:|--------:|--------:"
        "|------------------:|--------------:|-------------:|---------------:|"
    )
    rows = [head, rule]
    for o in outcomes:
        latency = o.result.latency_ms
        if not o.result.requests:  # nothing completed in the window (login on a busy machine)
            rows.append(
                f"| {o.name:<13} | {0:6d} | {'-':>6} | {'-':>6} | {'-':>6} | "
                f"{o.result.failed:6d} | {'-':>7} | {'-':>7} | {'-':>17} | {'-':>13} | "
                f"{'-':>12} | {o.cpu.others / max(o.cpu.wall, 1e-9):14.2f} |"
            )
            continue
        rows.append(
            f"| {o.name:<13} | {o.result.rate:6,.0f} | {latency['p50']:6.1f} | "
            f"{latency['p95']:6.1f} | {latency['p99']:6.1f} | {o.result.failed:6d} | "
            f"{_ratio(o.ratio_floor):>7} | {_ratio(o.ratio_naive):>7} | "
            f"{o.server_ms:17.2f} | {o.database_ms:13.2f} | {_ratio(o.cpu_ratio_floor):>12} | "
            f"{o.cpu.others / max(o.cpu.wall, 1e-9):14.2f} |"
        )
    return "\n".join(rows)


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _verdicts(outcomes: list[Outcome], args: argparse.Namespace) -> list[str]:
    by_name = {outcome.name: outcome for outcome in outcomes}
    lines = []
    cold = by_name.get("list (cold)")
    if cold and cold.ratio_floor is not None and cold.ratio_naive is not None:
        met = cold.ratio_floor >= P1_FLOOR and cold.ratio_naive >= P1_NAIVE
        lines.append(
            f"P1 list, cache cold: {cold.ratio_floor:.0%} of the floor (target >= "
            f"{P1_FLOOR:.0%}), {cold.ratio_naive:.1f}x naive (target >= {P1_NAIVE:.0f}x): "
            f"{'met' if met else 'NOT met'}; by server CPU per request "
            f"{_ratio(cold.cpu_ratio_floor)} of the floor's throughput"
        )
    cached = by_name.get("list (cached)")
    if cached and cached.ratio_floor is not None:
        met = cached.ratio_floor >= P2_FLOOR
        lines.append(
            f"P2 list, cache warm: {cached.ratio_floor:.0%} of the floor (target >= "
            f"{P2_FLOOR:.0%}): {'met' if met else 'NOT met'}; by server CPU per request "
            f"{_ratio(cached.cpu_ratio_floor)} ({cached.note})"
        )
    search = by_name.get("search")
    if search:
        p95 = search.result.latency_ms["p95"]
        full = args.search_bookmarks >= 1_000_000 and args.connections == 16
        lines.append(
            f"P3 search p95 {p95:.1f} ms at {args.connections} connections (target < "
            f"{P3_P95_MS:.0f} ms at 16, 1M bookmarks): {'met' if p95 < P3_P95_MS else 'NOT met'}"
            + ("" if full else " (not the P3 conditions: smaller data or other concurrency)")
        )
    return lines


# --- main -----------------------------------------------------------------------------------


def add_dataset_arguments(parser: argparse.ArgumentParser) -> None:
    """The options every PostgreSQL-backed benchmark shares: the list dataset, where the
    servers are, and where the results go."""
    parser.add_argument("--bookmarks", type=int, default=100_000, help="list dataset size")
    parser.add_argument("--users", type=int, default=1, help="list dataset users")
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--admin-url", default=DEFAULT_ADMIN_URL, help="a PostgreSQL superuser")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL)
    parser.add_argument("--json", type=Path, help="also write the results to this file")


def _arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").split("\n")[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    add_dataset_arguments(parser)
    parser.add_argument("--search-bookmarks", type=int, default=1_000_000)
    parser.add_argument("--search-users", type=int, default=10)
    parser.add_argument("--duration", type=_seconds, default=10.0, help="seconds per scenario")
    parser.add_argument("--warm-up", type=_seconds, default=2.0, help="seconds before each")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--threads", type=int, default=1, help="wrk threads (1 leaves the cores to the server)"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a smoke run of about a minute: 10k/50k bookmarks, 3 s per scenario",
    )
    parser.add_argument("--regenerate", action="store_true", help="rebuild the datasets")
    parser.add_argument(
        "--profile-dir",
        type=Path,
        help="py-spy (if installed) samples each server under load: slower figures",
    )
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
        args.duration, args.warm_up = 3.0, 1.0
    return args


def _seconds(text: str) -> float:
    return float(text.removesuffix("s"))


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    try:
        wrk_binary = _wrk.find_wrk()
    except _wrk.WrkMissing as error:
        print(f"http_load: {error}", file=sys.stderr)
        return 2
    command = shlex.join([Path(sys.executable).name, "-m", "benchmarks.http_load", *sys.argv[1:]])
    facts = _facts(args, wrk_binary)
    print(f"machine        {facts['cores']} CPUs, {facts['cpu']}, {facts['memory_gib']} GiB")
    print(
        f"software       Python {facts['python']}, PostgreSQL {facts['postgresql']}, "
        f"Redis {facts['redis']}, {facts['wrk']}, uvicorn {facts['uvicorn']}"
    )
    load_before = _machine.load_average()
    print(f"load average   {load_before} (before)")
    started = time.perf_counter()
    list_spec = DatasetSpec(args.bookmarks, args.users, args.seed)
    search_spec = DatasetSpec(args.search_bookmarks, args.search_users, args.seed)
    list_data = asyncio.run(_dataset.ensure(args.admin_url, list_spec, regenerate=args.regenerate))
    search_data = (
        list_data
        if search_spec == list_spec
        else asyncio.run(_dataset.ensure(args.admin_url, search_spec, regenerate=args.regenerate))
    )
    prefix = f"bench-http-{uuid.uuid4().hex[:8]}:"
    secret = _secret()
    measured = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-http-") as scratch_dir:
        scratch = Path(scratch_dir)
        bench = Bench(args, wrk_binary, scratch)
        print(
            f"load           wrk -t{args.threads} -c{args.connections}, {args.duration:g} s "
            f"per scenario after {args.warm_up:g} s of warm-up"
        )
        try:
            env = _project_env(args, scratch, list_data.url, prefix, secret)
            body, bearer = _project_phase(bench, list_data, env, prefix)
            _anchor_phases(bench, list_data, env, body, bearer)
            search_env = _project_env(args, scratch, search_data.url, prefix, secret)
            _search_phase(bench, search_data, search_env, prefix)
        finally:
            _clean_redis(args.redis_url, prefix)
    load_after = _machine.load_average()
    _ratios(bench.outcomes)
    order = ["list (cold)", "list (cached)", "get", "search", "create", "login", "linkding list"]
    outcomes = sorted(
        bench.outcomes,
        key=lambda o: order.index(o.name) if o.name in order else len(order) + (o.name == "naive"),
    )
    print()
    print(_table(outcomes))
    print()
    for line in _verdicts(outcomes, args):
        print(line)
    for note in bench.notes:
        print(note)
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
            "load_average": {"before": load_before, "after": load_after},
            "datasets": {
                "list": {**_dataset_facts(list_data)},
                "search": {**_dataset_facts(search_data)},
            },
            "load": {
                "connections": args.connections,
                "threads": args.threads,
                "duration_s": args.duration,
                "warm_up_s": args.warm_up,
            },
            "scenarios": [o.as_dict() for o in outcomes],
            "verdicts": _verdicts(outcomes, args),
            "notes": bench.notes,
        }
        args.json.write_text(json.dumps(report, indent=2) + "\n")
        print(f"json           {args.json}")
    return 0


def _dataset_facts(dataset: Dataset) -> dict[str, Any]:
    return {
        "database": dataset.spec.database,
        "bookmarks": dataset.spec.bookmarks,
        "users": dataset.spec.users,
        "seed": dataset.spec.seed,
        "built_seconds": dataset.built_seconds,
    }


if __name__ == "__main__":
    sys.exit(main())
