"""`project serve` (or the floor) under a chosen HTTP server, with an optional event-loop probe.

    .venv/bin/python -m benchmarks._serve --server uvicorn [--loop-lag FILE] [--inline-hashing]
        serve --port N [--workers N]
    .venv/bin/python -m benchmarks._serve --server granian --floor BODY --port N

Used by `benchmarks.servers` and `benchmarks.login_storm`. For the project's app the real CLI
runs (`project serve ...`: settings, logging, the embedded migration, the banner) and only its
last step, the `uvicorn.run(app, ...)` call in `project/entrypoints/cli/serve.py`, is replaced:

  uvicorn          uvicorn.run with loop "asyncio" and http "h11": what `project serve` runs
                   with the project's declared dependencies (uvicorn's "auto" picks these
                   when uvloop and httptools are not installed)
  uvicorn-std      uvicorn.run with loop "uvloop" and http "httptools" (uvicorn[standard])
  granian          `granian_run`: the same arguments mapped onto granian's server (ASGI
                   interface, the app factory in each worker), event loop uvloop
  granian-asyncio  the same with the asyncio loop

`--floor BODY` serves the floor app (`_floor_app`) instead, under the same server and options.

`--loop-lag FILE` adds a probe to the app's startup: a task on the server's event loop that
sleeps 5 ms in a loop and appends, to FILE, `<time.monotonic()> <lag ms>` for every wake-up,
where the lag is how late the loop woke it. Nothing else changes. A callback that holds the
loop (a password hash run on it, say) shows up as a lag as long as itself.

`--inline-hashing` is a control for that probe: argon2 runs on the event loop instead of in
its thread pool (`Argon2PasswordHasher._off_loop` replaced), which is what "blocking the loop"
looks like.

`--hash-nice N` is an experiment: each hash runs, in its worker thread as usual, at nice N
(Linux sets niceness per thread; the thread is set back to its own value afterwards, which
needs root or CAP_SYS_NICE), so the scheduler favours the event loop's thread over hashing.

Nothing under src/ is edited: the replacements are made in this process before the CLI runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import sys
import threading
import time
from collections.abc import Callable
from importlib.util import find_spec
from pathlib import Path
from typing import Any

PROJECT_FACTORY = "benchmarks._serve:project_app"
FLOOR_FACTORY = "benchmarks._serve:floor_app"
FLOOR_BODY_ENV = "BENCH_FLOOR_BODY"
TRUSTED_PROXIES_ENV = "BENCH_TRUSTED_PROXIES"
PROBE_INTERVAL = 0.005

# name: (server, its loop and http options, the modules it needs)
SERVERS: dict[str, tuple[str, dict[str, Any], tuple[str, ...]]] = {
    "uvicorn": ("uvicorn", {"loop": "asyncio", "http": "h11"}, ("uvicorn",)),
    "uvicorn-std": (
        "uvicorn",
        {"loop": "uvloop", "http": "httptools"},
        ("uvicorn", "uvloop", "httptools"),
    ),
    "granian": ("granian", {"loop": "uvloop"}, ("granian", "uvloop")),
    "granian-asyncio": ("granian", {"loop": "asyncio"}, ("granian",)),
}


def missing(server: str) -> list[str]:
    """The modules `server` needs that this interpreter cannot import."""
    return [name for name in SERVERS[server][2] if find_spec(name) is None]


# --- the apps (factories, so granian can import them in its worker processes) ---------------


def project_app() -> Any:
    """The project's app as `project serve --workers N` builds it in each worker (settings
    from the environment), behind granian's proxy-headers wrapper when serve.py would ask
    uvicorn for proxy headers."""
    from project.entrypoints.http import app as app_module

    app = app_module.create_app()  # looked up now: the probe may have replaced it
    trusted = os.environ.get(TRUSTED_PROXIES_ENV)
    if trusted:
        from granian.utils.proxies import wrap_asgi_with_proxy_headers

        return wrap_asgi_with_proxy_headers(app, trusted_hosts=trusted.split(","))
    return app


def floor_app() -> Any:
    from benchmarks import _floor_app

    return _floor_app.create_app(Path(os.environ[FLOOR_BODY_ENV]).read_bytes())


# --- granian in place of uvicorn.run ---------------------------------------------------------


def granian_run(
    app: Any,
    *,
    host: str,
    port: int,
    log_level: str = "info",
    server_header: bool = False,  # granian sends no Server header
    proxy_headers: bool = False,
    forwarded_allow_ips: list[str] | str | None = None,
    timeout_graceful_shutdown: int | None = None,
    factory: bool = False,
    workers: int = 1,
    ssl_certfile: str | None = None,
    ssl_keyfile: str | None = None,
    loop: str = "uvloop",
    target: str = PROJECT_FACTORY,
) -> None:
    """What serve.py's `uvicorn.run(...)` call becomes under granian.

    granian imports its app in each worker process from an import string, so the app object
    serve.py builds for one worker is not used: every worker (one or several) calls the
    factory, as `--workers N` already does under uvicorn. Proxy headers come from granian's
    ASGI wrapper. granian reads only PKCS#8 private keys (uvicorn reads PKCS#1 too)."""
    del app, factory, server_header
    from granian.constants import Interfaces, Loops
    from granian.log import LogLevels
    from granian.server import Server

    if proxy_headers:
        trusted = forwarded_allow_ips or "127.0.0.1"
        os.environ[TRUSTED_PROXIES_ENV] = trusted if isinstance(trusted, str) else ",".join(trusted)
    Server(
        target,
        address=host,
        port=port,
        interface=Interfaces.ASGI,
        workers=workers,
        loop=Loops(loop),
        factory=True,
        log_level=LogLevels(log_level),
        workers_kill_timeout=timeout_graceful_shutdown,
        ssl_cert=Path(ssl_certfile) if ssl_certfile else None,
        ssl_key=Path(ssl_keyfile) if ssl_keyfile else None,
    ).serve()


# --- the event-loop probe --------------------------------------------------------------------


async def _probe(path: Path) -> None:
    with path.open("a", buffering=1 << 16) as out:
        flushed = time.monotonic()
        while True:
            asked = time.monotonic()
            await asyncio.sleep(PROBE_INTERVAL)
            now = time.monotonic()
            out.write(f"{now:.6f} {(now - asked - PROBE_INTERVAL) * 1000:.3f}\n")
            if now - flushed >= 0.25:
                out.flush()
                flushed = now


def _with_probe(create_app: Callable[..., Any], path: Path) -> Callable[..., Any]:
    @functools.wraps(create_app)
    def create(*args: Any, **kwargs: Any) -> Any:
        app = create_app(*args, **kwargs)
        tasks: list[asyncio.Task[None]] = []

        async def start() -> None:
            tasks.append(asyncio.get_running_loop().create_task(_probe(path)))

        async def stop() -> None:
            for task in tasks:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

        app.on_startup.append(start)
        app.on_shutdown.append(stop)
        return app

    return create


def _hash_on_the_loop() -> None:
    from project.adapters.argon2.hasher import Argon2PasswordHasher

    async def on_loop(self: Any, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return function(*args, **kwargs)

    Argon2PasswordHasher._off_loop = on_loop  # type: ignore[method-assign]


def _hash_niced(niceness: int) -> None:
    from project.adapters.argon2.hasher import Argon2PasswordHasher

    off_loop = Argon2PasswordHasher._off_loop

    def niced(function: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            thread = threading.get_native_id()
            before = os.getpriority(os.PRIO_PROCESS, thread)
            os.setpriority(os.PRIO_PROCESS, thread, niceness)
            try:
                return function(*args, **kwargs)
            finally:
                os.setpriority(os.PRIO_PROCESS, thread, before)

        return call

    async def off_loop_niced(
        self: Any, function: Callable[..., Any], *args: Any, **kwargs: Any
    ) -> Any:
        return await off_loop(self, niced(function), *args, **kwargs)

    Argon2PasswordHasher._off_loop = off_loop_niced  # type: ignore[method-assign]


# --- main ------------------------------------------------------------------------------------


def _serve_project(server: str, cli_args: list[str]) -> None:
    import uvicorn

    kind, options, _ = SERVERS[server]
    if kind == "uvicorn":
        replacement: Any = functools.partial(uvicorn.run, **options)
    else:
        replacement = functools.partial(granian_run, **options)
    uvicorn.run = replacement
    from project.entrypoints.cli.main import run

    sys.argv = ["project", *cli_args]
    run()


def _serve_floor(server: str, body: Path, host: str, port: int) -> None:
    os.environ[FLOOR_BODY_ENV] = str(body)
    kind, options, _ = SERVERS[server]
    arguments: dict[str, Any] = {"host": host, "port": port, "log_level": "warning"}
    arguments["server_header"] = False
    if kind == "uvicorn":
        import uvicorn

        uvicorn.run(floor_app(), **arguments, **options)
    else:
        granian_run(None, **arguments, **options, target=FLOOR_FACTORY)


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    server, floor, lag, inline, host, port = "uvicorn", None, None, False, "127.0.0.1", None
    niceness: int | None = None
    rest: list[str] = []
    while args:
        option = args.pop(0)
        if option == "--server":
            server = args.pop(0)
        elif option == "--floor":
            floor = Path(args.pop(0))
        elif option == "--loop-lag":
            lag = Path(args.pop(0))
        elif option == "--inline-hashing":
            inline = True
        elif option == "--hash-nice":
            niceness = int(args.pop(0))
        elif floor is not None and option == "--host":
            host = args.pop(0)
        elif floor is not None and option == "--port":
            port = int(args.pop(0))
        else:
            rest.append(option)
    if server not in SERVERS:
        sys.exit(f"_serve: --server is one of {', '.join(SERVERS)}, not {server!r}")
    if absent := missing(server):
        sys.exit(f"_serve: {server} needs {', '.join(absent)}: pip install {' '.join(absent)}")
    if floor is not None:
        if port is None:
            sys.exit("_serve: --floor needs --port")
        _serve_floor(server, floor, host, port)
        return
    if lag is not None:
        from project.entrypoints.http import app as app_module

        app_module.create_app = _with_probe(app_module.create_app, lag)
    if inline:
        _hash_on_the_loop()
    if niceness is not None:
        _hash_niced(niceness)
    _serve_project(server, rest)


if __name__ == "__main__":
    main()
