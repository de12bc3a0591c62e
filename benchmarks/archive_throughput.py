"""P7: archiving throughput, pages archived per second by `project worker` processes.

    .venv/bin/python -m benchmarks.archive_throughput [--pages 1000] [--workers 2]
        [--concurrency 8] [--server asyncio|threaded] [--image-format png|jpg]
        [--profile-dir DIR]

Set up, not timed: a fresh PostgreSQL database (dropped at the end), a fresh Redis key prefix
(its keys deleted at the end), and a page server in its own process on 127.0.0.1 serving N
distinct articles (30-55 KB of HTML each, seeded, with Open Graph tags, an og:image of
1200x630 and a favicon PNG). Then, through the library (`project.open_project`, with
archive_on_save on), one user and N bookmarks, which queues N archive jobs on Redis (SAQ).

Timed: W `project worker --concurrency C` processes (the venv's console script, with the same
PROJECT_* environment) are started, and the clock runs until every bookmark's archive_status is
`archived` (or `failed`, which is final), polled from the database every 0.2 s; the end is the
last job's completion time in the database. The workers then get SIGTERM. Each job does what
production does: fetch through the SSRF guard, extract (selectolax and trafilatura), store the
snapshot, fetch the preview and favicon and re-encode them as WebP, update the bookmark and
index its text. "steady" figures leave out the workers' start-up (until the first page is
archived).

Everything runs on one machine, so the parts share its CPUs: the CPU seconds of each (the
workers' event loop threads and their other threads, the page server, the PostgreSQL backends
of the benchmark's database, the Redis server, and everything else on the machine) are
printed, with the CPU cost per page, which stays meaningful when other work shares the
machine. The page server is asyncio by default; `--server threaded` uses http.server's
ThreadingHTTPServer. `--profile-dir` attaches py-spy (if installed) to the first worker and
prints where its samples went; py-spy's own CPU then slows the run.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import io
import json
import os
import platform
import random
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

TARGET_PAGES_PER_SECOND = 50.0  # REQUIREMENTS P7, with 2 workers
DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
PASSWORD = "benchmark passphrase 123"  # noqa: S105 - a throwaway account's
CONSOLE_SCRIPT = Path(sys.executable).parent / "project"
PREVIEW_SIZE = (1200, 630)
PREVIEW_VARIANTS = 12  # distinct og:image files; each page has its own URL for one of them
FAVICON_VARIANTS = 4
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PY_SPY_RATE = 200  # samples per second

# --- the pages ------------------------------------------------------------------------------

_WORDS = """
archive bookmark reader network server client protocol cache index query database storage
memory kernel compiler language runtime library module package release version feature design
pattern system service worker queue thread process socket request response header payload
browser screen layout image preview thumbnail favicon search ranking relevance snippet phrase
the a of to and in for on with by from at as is was are be this that which it they we you
people team project company market product customer report study research paper result data
model method approach problem solution question answer example detail history future year
month week day morning evening city country river mountain garden kitchen recipe coffee
music concert album guitar piano film camera photo travel train flight hotel museum library
quickly slowly carefully often rarely always never nearly almost simply clearly really
large small early late new old good bad long short high low important different possible
build run test measure compare improve reduce increase explain describe decide choose keep
"""
_VOCABULARY = _WORDS.split()
_SECTIONS = ["Technology", "Science", "Culture", "Travel", "Food", "Business", "Opinion"]


def _sentence(rng: random.Random) -> str:
    words = rng.choices(_VOCABULARY, k=rng.randint(8, 24))
    text = " ".join(words)
    if rng.random() < 0.3:
        cut = rng.randint(3, len(words) - 3)
        text = " ".join(words[:cut]) + ", " + " ".join(words[cut:])
    return text[0].upper() + text[1:] + rng.choice(".....?!")


def _paragraph(rng: random.Random, sentences: tuple[int, int]) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(*sentences)))


def _links(rng: random.Random, count: int, prefix: str) -> str:
    return "".join(
        f'<li><a href="/{prefix}/{rng.randrange(10_000)}" class="nav-link">'
        f"{' '.join(rng.choices(_VOCABULARY, k=rng.randint(1, 4))).title()}</a></li>"
        for _ in range(count)
    )


def _style(rng: random.Random) -> str:
    rules = []
    for n in range(rng.randint(80, 140)):
        props = "; ".join(
            f"{rng.choice(['margin', 'padding', 'color', 'font-size', 'line-height', 'border'])}"
            f": {rng.randint(0, 40)}px"
            for _ in range(rng.randint(2, 6))
        )
        rules.append(f".c{n} .{rng.choice(_VOCABULARY)}-{n} {{ {props} }}")
    return "\n".join(rules)


def _script(rng: random.Random) -> str:
    calls = ";\n".join(
        f"window.__t.push({{e:'{rng.choice(_VOCABULARY)}',v:{rng.randrange(10**6)},"
        f"k:'{secrets.token_hex(8)}'}})"
        for _ in range(rng.randint(30, 60))
    )
    return f"(function(){{window.__t=window.__t||[];\n{calls};\n}})();"


def article(number: int, seed: int, preview: str = "png") -> bytes:
    """Page `number`: a news-site article, 30-60 KB, the same bytes for the same seed."""
    rng = random.Random(seed * 1_000_003 + number)  # noqa: S311 - test data, not secrets
    title = _sentence(rng).rstrip(".?!")[:90]
    description = _sentence(rng)
    section = rng.choice(_SECTIONS)
    body = []
    for part in range(rng.randint(5, 9)):
        if part:
            body.append(f"<h2>{_sentence(rng).rstrip('.?!')[:60]}</h2>")
        for _ in range(rng.randint(3, 6)):
            body.append(f"<p>{_paragraph(rng, (3, 7))}</p>")
        if rng.random() < 0.3:
            items = "".join(f"<li>{_sentence(rng)}</li>" for _ in range(rng.randint(3, 6)))
            body.append(f"<ul>{items}</ul>")
        if rng.random() < 0.2:
            body.append(f"<blockquote><p>{_paragraph(rng, (1, 2))}</p></blockquote>")
    comments = "".join(
        f'<div class="comment"><span class="author">user{rng.randrange(999)}</span>'
        f"<p>{_paragraph(rng, (1, 3))}</p></div>"
        for _ in range(rng.randint(0, 6))
    )
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} | The Loopback Times</title>
<meta name="description" content="{description}">
<meta property="og:type" content="article">
<meta property="og:title" content="{title}">
<meta property="og:description" content="{description}">
<meta property="og:site_name" content="The Loopback Times">
<meta property="og:url" content="/articles/{number}">
<meta property="og:image" content="/images/preview-{number}.{preview}">
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:title" content="{title}">
<link rel="canonical" href="/articles/{number}">
<link rel="icon" type="image/png" href="/images/icon-{number}.png">
<link rel="stylesheet" href="/static/site.{secrets.token_hex(6)}.css">
<style>{_style(rng)}</style>
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle",
"headline":"{title}","articleSection":"{section}","wordCount":{rng.randint(800, 3000)}}}</script>
<script>{_script(rng)}</script>
</head><body class="article {section.lower()}">
<header><a href="/" class="logo">The Loopback Times</a>
<nav><ul>{_links(rng, rng.randint(25, 40), "section")}</ul></nav></header>
<div class="banner ad">{_sentence(rng)}</div>
<main><article>
<h1>{title}</h1>
<p class="byline">By {rng.choice(_VOCABULARY).title()} {rng.choice(_VOCABULARY).title()},
{rng.randint(1, 28)} {rng.choice(["March", "June", "October"])} 2024</p>
<figure><img src="/images/preview-{number}.{preview}" alt="{title}"><figcaption>{_sentence(rng)}
</figcaption></figure>
{"".join(body)}
</article>
<section class="comments"><h3>Comments</h3>{comments}</section></main>
<aside><h3>Most read</h3><ol>{_links(rng, rng.randint(10, 20), "articles")}</ol>
<h3>Related</h3><ul>{_links(rng, rng.randint(10, 20), "articles")}</ul></aside>
<footer><ul>{_links(rng, rng.randint(30, 50), "about")}</ul>
<p>&copy; 2024 The Loopback Times. {_sentence(rng)}</p></footer>
</body></html>
"""
    return page.encode()


def _preview(variant: int, image_format: str) -> bytes:
    """An og:image like a photo's: smooth colour fields and some texture, not one flat fill."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(variant)  # noqa: S311
    small = Image.effect_noise((PREVIEW_SIZE[0] // 24, PREVIEW_SIZE[1] // 24), 90)
    bands = [
        small.point(lambda v, o=rng.randint(0, 120): min(255, v + o)).resize(
            PREVIEW_SIZE, Image.Resampling.BICUBIC
        )
        for _ in range(3)
    ]
    image = Image.merge("RGB", bands)
    draw = ImageDraw.Draw(image)
    for _ in range(25):
        x, y = rng.randrange(PREVIEW_SIZE[0]), rng.randrange(PREVIEW_SIZE[1])
        r = rng.randint(10, 120)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    image = image.filter(ImageFilter.GaussianBlur(2))
    grain = Image.effect_noise(PREVIEW_SIZE, 12).convert("RGB")
    image = Image.blend(image, grain, 0.05)
    out = io.BytesIO()
    if image_format == "jpg":
        image.save(out, "JPEG", quality=85)
    else:
        image.save(out, "PNG")
    return out.getvalue()


def _favicon_png(variant: int) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (32, 32), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((2, 2, 29, 29), 6, fill=(40 * variant, 90, 200, 255))
    draw.text((9, 8), "LT", fill=(255, 255, 255, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


class Site:
    """Every response the page server gives, built before it starts listening."""

    def __init__(self, pages: int, seed: int, image_format: str) -> None:
        self.pages = [article(n, seed, image_format) for n in range(pages)]
        self.previews = [_preview(v, image_format) for v in range(PREVIEW_VARIANTS)]
        self.preview_type = "image/jpeg" if image_format == "jpg" else "image/png"
        self.favicons = [_favicon_png(v) for v in range(FAVICON_VARIANTS)]
        self.hits: collections.Counter[str] = collections.Counter()
        self.sent = 0
        self._lock = threading.Lock()

    def respond(self, target: str) -> tuple[int, str, bytes]:
        kind, _, name = target.split("?")[0].lstrip("/").partition("/")
        number = int(re.sub(r"\D", "", name) or -1)
        found: tuple[int, str, bytes] | None = None
        if kind == "articles" and 0 <= number < len(self.pages):
            found = (200, "text/html; charset=utf-8", self.pages[number])
        elif kind == "images" and name.startswith("preview-") and number >= 0:
            found = (200, self.preview_type, self.previews[number % PREVIEW_VARIANTS])
        elif kind == "images" and name.startswith("icon-") and number >= 0:
            found = (200, "image/png", self.favicons[number % FAVICON_VARIANTS])
        status, content_type, body = found or (404, "text/plain", b"not found")
        with self._lock:
            self.hits[kind if status == 200 else "404"] += 1
            self.sent += len(body)
        return status, content_type, body

    def stats(self) -> dict[str, Any]:
        return {
            "hits": dict(self.hits),
            "sent_bytes": self.sent,
            "page_bytes": [min(map(len, self.pages)), max(map(len, self.pages))],
            "mean_page_bytes": sum(map(len, self.pages)) / max(len(self.pages), 1),
            "preview_bytes": sum(map(len, self.previews)) / len(self.previews),
            "preview_type": self.preview_type,
            "favicon_bytes": sum(map(len, self.favicons)) / len(self.favicons),
        }


def _head(status: int, content_type: str, length: int, close: bool) -> bytes:
    reason = {200: "OK", 404: "Not Found", 400: "Bad Request"}.get(status, "OK")
    return (
        f"HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {length}\r\nConnection: {'close' if close else 'keep-alive'}\r\n\r\n"
    ).encode()


async def _serve_asyncio(site: Site, ready: Callable[[int], None]) -> None:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                request_line = head.split(b"\r\n", 1)[0].decode("latin-1").split()
                if len(request_line) != 3:
                    writer.write(_head(400, "text/plain", 0, True))
                    break
                status, content_type, body = site.respond(request_line[1])
                lowered = head.lower()
                close = request_line[2] == "HTTP/1.0" or b"connection: close" in lowered
                writer.write(_head(status, content_type, len(body), close) + body)
                await writer.drain()
                if close:
                    break
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            pass
        finally:
            writer.close()

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=1024)
    ready(server.sockets[0].getsockname()[1])
    async with server:
        await stop.wait()


def _serve_threaded(site: Site, ready: Callable[[int], None]) -> None:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            status, content_type, body = site.respond(self.path)
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 1024

    server = Server(("127.0.0.1", 0), Handler)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    ready(int(server.server_address[1]))
    stop.wait()
    server.shutdown()
    server.server_close()


def serve(pages: int, seed: int, kind: str, image_format: str) -> None:
    """The page server process: prints its port, serves until SIGTERM, prints its stats."""
    site = Site(pages, seed, image_format)

    def ready(port: int) -> None:
        print(port, flush=True)

    if kind == "asyncio":
        asyncio.run(_serve_asyncio(site, ready))
    else:
        _serve_threaded(site, ready)
    print(json.dumps(site.stats()), flush=True)


@dataclass
class PageServer:
    process: subprocess.Popen[str]
    port: int
    stats: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def start(cls, pages: int, seed: int, kind: str, image_format: str) -> PageServer:
        command = [sys.executable, "-m", "benchmarks.archive_throughput", "--serve", kind]
        command += ["--image-format", image_format]
        command += ["--pages", str(pages), "--seed", str(seed)]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)  # noqa: S603
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line.strip().isdigit():
            process.kill()
            raise RuntimeError(f"the page server did not start: {line!r}")
        return cls(process, int(line))

    def stop(self) -> dict[str, Any]:
        self.process.send_signal(signal.SIGTERM)
        out, _ = self.process.communicate(timeout=30)
        try:
            stats: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
        except (ValueError, IndexError):
            return {}
        return stats


# --- CPU accounting -------------------------------------------------------------------------


def _process_cpu(pid: int) -> float:
    """User + system CPU seconds of a live process (all its threads); 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _main_thread_cpu(pid: int) -> float:
    """CPU seconds of a process's main thread: for a worker, its event loop."""
    try:
        fields = Path(f"/proc/{pid}/task/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, all cores."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    total = sum(values[:8])  # guest time is already counted in user
    idle = values[3] + values[4]
    return (total - idle) / CLOCK_TICKS, total / CLOCK_TICKS


def _pids(match: Callable[[str], bool]) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if match(cmdline):
            found.append(int(entry.name))
    return found


def _cpu_of(pids: Sequence[int]) -> float:
    return sum(_process_cpu(pid) for pid in pids)


# --- the benchmark --------------------------------------------------------------------------


@dataclass
class Outcome:
    pages: int
    seconds: float  # from starting the workers to the last job's completion
    first_done: float  # from starting the workers to the first job's completion
    archived: int
    failed: int
    failures: dict[str, int]
    retried: int
    with_preview: int
    with_favicon: int
    mean_words: float
    whole: Counters  # from starting the workers to the end
    steady: Counters  # from the first page archived to the end: no start-up
    exit_codes: list[int] = field(default_factory=list)
    profile: str = ""


def _worker_env(
    base: dict[str, str], data_dir: Path, database_url: str, redis_url: str, prefix: str, port: int
) -> dict[str, str]:
    env = {key: value for key, value in base.items() if not key.startswith("PROJECT_")}
    return env | {
        "PROJECT_ENV": "test",
        "PROJECT_DATA_DIR": str(data_dir),
        "PROJECT_DATABASE_URL": database_url,
        "PROJECT_REDIS_URL": redis_url,
        "PROJECT_REDIS_PREFIX": prefix,
        "PROJECT_FETCH_ALLOWED_NETWORKS": "127.0.0.0/8",
        "PROJECT_FETCH_ALLOWED_PORTS": str(port),
        "PROJECT_ARCHIVE_ON_SAVE": "true",
        "PROJECT_LOG_JSON": "true",  # as in production: JSON lines, not the console renderer
    }


async def _create_bookmarks(env: dict[str, str], port: int, pages: int) -> float:
    """One user and `pages` bookmarks through the library; each queues its archive job."""
    from project import open_project
    from project.domain.model.context import LOCAL
    from project.domain.model.principal import Principal
    from project.domain.services.bookmarks import BookmarkDraft
    from project.entrypoints.settings import load_settings

    started = time.perf_counter()
    async with open_project(load_settings(env)) as project:
        user = await project.admin.create_user(
            None, f"bench-{secrets.token_hex(4)}@example.com", PASSWORD, ctx=LOCAL
        )
        owner = Principal(user_id=user.id, role=user.role)
        gate = asyncio.Semaphore(8)

        async def create(number: int) -> None:
            draft = BookmarkDraft(url=f"http://127.0.0.1:{port}/articles/{number}")
            async with gate:
                await project.bookmarks.create(owner, draft)

        await asyncio.gather(*(create(n) for n in range(pages)))
        depth = await project.container.queue().depth()
        if depth != pages:
            raise RuntimeError(f"{pages} bookmarks but {depth} jobs queued")
    return time.perf_counter() - started


def _start_worker(env: dict[str, str], concurrency: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(  # noqa: S603
            [str(CONSOLE_SCRIPT), "worker", "--concurrency", str(concurrency)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _start_py_spy(pid: int, output: Path) -> subprocess.Popen[bytes] | None:
    binary = shutil.which("py-spy", path=f"{Path(sys.executable).parent}:{os.environ['PATH']}")
    if binary is None:
        print("--profile-dir: py-spy is not installed (pip install py-spy); not profiling")
        return None
    command = [binary, "record", "--pid", str(pid), "--rate", str(PY_SPY_RATE), "--format", "raw"]
    command += ["--output", str(output), "--nonblocking"]
    return subprocess.Popen(  # noqa: S603
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


@dataclass(frozen=True)
class Counters:
    """CPU seconds so far of each part, and of the whole machine (busy, and in all)."""

    parts: dict[str, float]
    machine_busy: float
    machine_total: float
    done: int = 0

    def minus(self, earlier: Counters) -> Counters:
        parts = {name: value - earlier.parts.get(name, 0.0) for name, value in self.parts.items()}
        return Counters(
            parts,
            self.machine_busy - earlier.machine_busy,
            self.machine_total - earlier.machine_total,
            self.done - earlier.done,
        )


@dataclass(frozen=True)
class Watched:
    workers: Sequence[subprocess.Popen[bytes]]
    server: PageServer
    database: str
    redis_pids: Sequence[int]

    def counters(self, done: int = 0) -> Counters:
        busy, total = _machine_cpu()
        in_database = f" {self.database} "
        pids = [worker.pid for worker in self.workers]
        in_loop = sum(_main_thread_cpu(pid) for pid in pids)
        parts = {
            "workers: event loop": in_loop,
            "workers: other threads": _cpu_of(pids) - in_loop,
            "page server": _process_cpu(self.server.process.pid),
            "postgres backends": _cpu_of(
                _pids(lambda cmd: cmd.startswith("postgres:") and in_database in cmd)
            ),
            "redis (shared server)": _cpu_of(self.redis_pids),
        }
        parts["other processes"] = busy - sum(parts.values())
        return Counters(parts, busy, total, done)


async def _poll(
    connection: Any, pages: int, watched: Watched, patience: float
) -> tuple[Counters, Counters]:
    """Wait until every page is done; the counters when the first was, and at the end."""
    deadline = time.perf_counter() + patience
    first: Counters | None = None
    while True:
        row = await connection.fetchrow(
            "SELECT count(*) FILTER (WHERE archive_status = 'archived') AS archived,"
            " count(*) FILTER (WHERE archive_status = 'failed') AS failed FROM bookmarks"
        )
        done = row["archived"] + row["failed"]
        if done and first is None:
            first = watched.counters(done)
        if done >= pages:
            assert first is not None
            return first, watched.counters(done)
        if any(worker.poll() is not None for worker in watched.workers):
            raise RuntimeError("a worker exited before the work was done; see its log")
        if time.perf_counter() > deadline:
            raise TimeoutError(f"{done} of {pages} done in time")
        await asyncio.sleep(0.2)


async def _results(connection: Any, started_wall: float) -> dict[str, Any]:
    timing = await connection.fetchrow(
        "SELECT extract(epoch FROM min(updated_at)) AS first,"
        " extract(epoch FROM max(updated_at)) AS last,"
        " count(*) FILTER (WHERE attempts > 1) AS retried FROM archive_jobs WHERE status = 'done'"
    )
    pages = await connection.fetchrow(
        "SELECT count(*) FILTER (WHERE archive_status = 'archived') AS archived,"
        " count(*) FILTER (WHERE archive_status = 'failed') AS failed,"
        " count(page_preview_key) AS with_preview, count(page_favicon_key) AS with_favicon,"
        " coalesce(avg(page_word_count), 0) AS mean_words FROM bookmarks"
    )
    reasons = await connection.fetch(
        "SELECT archive_error, count(*) AS n FROM bookmarks WHERE archive_status = 'failed'"
        " GROUP BY archive_error"
    )
    return {
        "first_done": float(timing["first"] or started_wall) - started_wall,
        "last_done": float(timing["last"] or started_wall) - started_wall,
        "retried": timing["retried"],
        "archived": pages["archived"],
        "failed": pages["failed"],
        "with_preview": pages["with_preview"],
        "with_favicon": pages["with_favicon"],
        "mean_words": float(pages["mean_words"]),
        "failures": {str(r["archive_error"]): r["n"] for r in reasons},
    }


def _stop(workers: Sequence[subprocess.Popen[bytes]]) -> list[int]:
    for worker in workers:
        worker.send_signal(signal.SIGTERM)
    codes = []
    for worker in workers:
        try:
            codes.append(worker.wait(timeout=60))
        except subprocess.TimeoutExpired:
            worker.kill()
            codes.append(worker.wait())
    return codes


async def run_workers(
    env: dict[str, str],
    database_url: str,
    database: str,
    server: PageServer,
    args: argparse.Namespace,
    scratch: Path,
) -> Outcome:
    import asyncpg  # type: ignore[import-untyped]

    connection = await asyncpg.connect(
        database_url.replace("postgresql+asyncpg://", "postgresql://")
    )
    redis_pids = _pids(lambda cmd: cmd.startswith("redis-server"))
    before = Watched([], server, database, redis_pids).counters()
    started_wall = time.time()
    workers = [
        _start_worker(env, args.concurrency, scratch / f"worker-{n + 1}.log")
        for n in range(args.workers)
    ]
    watched = Watched(workers, server, database, redis_pids)
    spy = None
    if args.profile_dir is not None:
        args.profile_dir.mkdir(parents=True, exist_ok=True)
        spy = _start_py_spy(workers[0].pid, args.profile_dir / "worker-1.txt")
    try:
        first, last = await _poll(connection, args.pages, watched, args.timeout)
        results = await _results(connection, started_wall)
    finally:
        codes = _stop(workers)
        if spy is not None:
            spy.wait(timeout=60)
        await connection.close()
    outcome = Outcome(
        pages=args.pages,
        seconds=results["last_done"],
        first_done=results["first_done"],
        archived=results["archived"],
        failed=results["failed"],
        failures=results["failures"],
        retried=results["retried"],
        with_preview=results["with_preview"],
        with_favicon=results["with_favicon"],
        mean_words=results["mean_words"],
        whole=last.minus(before),
        steady=last.minus(first),
        exit_codes=codes,
    )
    if spy is not None and args.profile_dir is not None:
        outcome.profile = summarize_profile(args.profile_dir / "worker-1.txt")
    return outcome


# --- py-spy's samples, by part of the job ---------------------------------------------------

# The innermost frame of one of these libraries names the part a sample belongs to; a stack
# with none of them is the event loop's own (or the interpreter's).
_PARTS = [
    ("extract: trafilatura + lxml", ("trafilatura", "lxml", "justext", "courlan", "htmldate")),
    ("extract: selectolax + metadata", ("selectolax", "adapters/extraction")),
    ("images: Pillow", ("PIL/", "adapters/pillow")),
    ("fetch: httpx + guard", ("httpx", "httpcore", "h11", "anyio", "adapters/httpx")),
    ("database: SQLAlchemy + asyncpg", ("sqlalchemy", "asyncpg", "adapters/sql")),
    ("queue: SAQ + redis-py", ("saq/", "redis/", "adapters/saq")),
    ("blob store: files + fsync", ("adapters/fs",)),
    ("logging", ("structlog", "logging/")),
    ("services + model", ("project/domain", "msgspec")),
    ("start-up: imports", ("importlib", "<frozen")),
]
# An idle thread of the default executor, waiting for work: not time on a CPU.
_IDLE = ("_worker (concurrent/futures/thread.py:81)",)


def summarize_profile(path: Path) -> str:
    """py-spy's raw output (one `frame;frame;... count` line per stack) by part of the job,
    for the event loop's thread and for the others (the default executor's)."""
    if not path.exists():
        return f"no profile written at {path}"
    parts: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        frames = stack.split(";")
        if frames[-1].startswith(_IDLE):
            continue
        if not any(frames):
            thread = "native code without a Python stack"
        elif frames[0].startswith("Thread._bootstrap"):
            thread = "other threads"
        else:
            thread = "event loop thread"
        parts[thread][_part(frames)] += int(count)
    total = sum(sum(counter.values()) for counter in parts.values())
    if not total:
        return "py-spy took no samples"
    lines = [
        f"py-spy, first worker: {total} samples of running threads at {PY_SPY_RATE} Hz "
        f"({total / PY_SPY_RATE:.1f} thread-seconds; on a busy machine these include time spent "
        "waiting for a CPU)"
    ]
    for thread, counter in parts.items():
        lines.append(f"  {thread}: {sum(counter.values()) / PY_SPY_RATE:.1f} s")
        for name, samples in counter.most_common():
            lines.append(f"    {samples / total:6.1%}  {samples / PY_SPY_RATE:6.1f} s  {name}")
    return "\n".join(lines)


def _part(frames: Sequence[str]) -> str:
    for frame in reversed(frames):
        for name, needles in _PARTS:
            if any(needle in frame for needle in needles):
                return name
    return "event loop, sockets, threads" if any(frames) else "unknown"


# --- setup and teardown ---------------------------------------------------------------------


async def _admin_connection(admin_url: str) -> Any:
    import asyncpg

    return await asyncpg.connect(admin_url.replace("postgresql+asyncpg://", "postgresql://"))


async def create_database(admin_url: str) -> tuple[str, str]:
    """A fresh `bench_archive_<hex>` database: (its name, its asyncpg SQLAlchemy URL)."""
    from sqlalchemy.engine import make_url

    name = f"bench_archive_{secrets.token_hex(6)}"
    connection = await _admin_connection(admin_url)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    url = make_url(admin_url).set(drivername="postgresql+asyncpg", database=name)
    return name, url.render_as_string(hide_password=False)


async def drop_database(admin_url: str, name: str) -> None:
    connection = await _admin_connection(admin_url)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


async def clean_redis(url: str, prefix: str) -> int:
    """Delete the run's keys. SAQ's keys hold the queue name within them (`saq:<name>:...`,
    `saq:job:<name>:...`), so they are matched anywhere, not only at the start."""
    import redis.asyncio

    client = redis.asyncio.Redis.from_url(url)
    try:
        keys = [key async for key in client.scan_iter(match=f"*{prefix}*", count=1000)]
        if keys:
            await client.delete(*keys)
        return len(keys)
    finally:
        await client.aclose()


async def _versions(admin_url: str, redis_url: str) -> tuple[str, str]:
    import redis.asyncio

    connection = await _admin_connection(admin_url)
    try:
        postgres = str(await connection.fetchval("SHOW server_version"))
    finally:
        await connection.close()
    client = redis.asyncio.Redis.from_url(redis_url)
    try:
        info = await client.info("server")
    finally:
        await client.aclose()
    return postgres, str(info.get("redis_version", "?"))


def _load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _machine_busy_now(seconds: float = 2.0) -> float:
    """The share of all CPUs busy over the next `seconds`: other work on the machine."""
    busy, total = _machine_cpu()
    time.sleep(seconds)
    busy_after, total_after = _machine_cpu()
    return (busy_after - busy) / max(total_after - total, 1e-9)


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


@contextlib.contextmanager
def _page_server(pages: int, seed: int, kind: str, image_format: str) -> Iterator[PageServer]:
    started = time.perf_counter()
    server = PageServer.start(pages, seed, kind, image_format)
    print(
        f"page server    {kind}, port {server.port}, ready in {time.perf_counter() - started:.1f} s"
    )
    try:
        yield server
    finally:
        if server.process.poll() is None:
            server.stats = server.stop()


async def benchmark(args: argparse.Namespace, scratch: Path) -> None:
    from project.adapters.sql import upgrade_async

    postgres_version, redis_version = await _versions(args.admin_url, args.redis_url)
    print(f"machine        {os.cpu_count()} CPUs, {_cpu_model()}, {platform.machine()}")
    print(
        f"software       python {platform.python_version()}, PostgreSQL {postgres_version},"
        f" Redis {redis_version}"
    )
    print(
        f"before         load average {_load_average()}, CPUs "
        f"{await asyncio.to_thread(_machine_busy_now):.0%} busy (other work on the machine)"
    )
    database, database_url = await create_database(args.admin_url)
    prefix = f"bench-archive-{secrets.token_hex(6)}:"
    try:
        with _page_server(args.pages, args.seed, args.server, args.image_format) as server:
            env = _worker_env(
                dict(os.environ),
                scratch / "data",
                database_url,
                args.redis_url,
                prefix,
                server.port,
            )
            await upgrade_async(database_url)
            setup = await _create_bookmarks(env, server.port, args.pages)
            print(f"setup          {args.pages} bookmarks created and queued in {setup:.1f} s")
            try:
                outcome = await run_workers(env, database_url, database, server, args, scratch)
            except BaseException:
                _tail_logs(scratch)
                raise
        _report(outcome, args, server.stats)
        if outcome.failed or outcome.archived != args.pages:
            _tail_logs(scratch)
    finally:
        await drop_database(args.admin_url, database)
        removed = await clean_redis(args.redis_url, prefix)
        print(f"cleanup        dropped {database}, deleted {removed} Redis keys under {prefix}")


def _report(outcome: Outcome, args: argparse.Namespace, stats: dict[str, Any]) -> None:
    rate = outcome.archived / outcome.seconds if outcome.seconds > 0 else 0.0
    after_start = outcome.seconds - outcome.first_done
    steady_rate = (outcome.archived - 1) / after_start if after_start > 0 else 0.0
    if stats:
        print(
            f"pages served   {stats['mean_page_bytes'] / 1024:.1f} KiB mean HTML "
            f"({stats['page_bytes'][0] / 1024:.0f}-{stats['page_bytes'][1] / 1024:.0f} KiB), "
            f"og:image {stats['preview_bytes'] / 1024:.0f} KiB {stats['preview_type']} "
            f"{PREVIEW_SIZE[0]}x{PREVIEW_SIZE[1]}, favicon {stats['favicon_bytes']:.0f} B PNG"
        )
        print(f"requests       {stats['hits']}, {stats['sent_bytes'] / 2**20:.0f} MiB sent")
    print(
        f"workers        {args.workers} x `project worker --concurrency {args.concurrency}`"
        f" (exit codes {outcome.exit_codes})"
    )
    print(f"pages          {outcome.pages}")
    print(
        f"archived       {outcome.archived} (with preview {outcome.with_preview}, "
        f"favicon {outcome.with_favicon}; {outcome.mean_words:.0f} words on average)"
    )
    print(f"failures       {outcome.failed} {outcome.failures or ''}".rstrip())
    print(f"retried        {outcome.retried} jobs needed more than one attempt")
    print(f"seconds        {outcome.seconds:.2f} (workers started -> last page archived)")
    print(f"pages/s        {rate:.1f}")
    print(
        f"steady pages/s {steady_rate:.1f} (first page archived after {outcome.first_done:.2f} s,"
        " the workers' start-up)"
    )
    whole, steady = outcome.whole, outcome.steady
    print(
        f"machine busy   {whole.machine_busy / whole.machine_total:.0%} of {os.cpu_count()} CPUs"
        f" over the run, {steady.machine_busy / steady.machine_total:.0%} in the steady part"
    )
    print(f"cpu seconds    {'whole run':>10} {'steady':>8} {'steady ms/page':>15}")
    for name, seconds in whole.parts.items():
        part = steady.parts[name]
        per_page = part / steady.done * 1000 if steady.done else 0.0
        print(f"  {name:<24} {seconds:7.1f} {part:8.1f} {per_page:15.1f}")
    mine = sum(v for k, v in steady.parts.items() if k != "other processes")
    if steady.done:
        print(
            f"  {'this benchmark, all':<24} {'':7} {mine:8.1f} {mine / steady.done * 1000:15.1f}"
            f"  -> at most {steady.done / mine * (os.cpu_count() or 1):.0f} pages/s"
            " if all CPUs were its own"
        )
    if args.workers == 2:
        verdict = "met" if rate >= TARGET_PAGES_PER_SECOND else "MISSED"
        print(f"P7             >= {TARGET_PAGES_PER_SECOND:.0f} pages/s with 2 workers: {verdict}")
    if outcome.profile:
        print(outcome.profile)


def _tail_logs(scratch: Path) -> None:
    for log in sorted(scratch.glob("worker-*.log")):
        print(f"--- {log.name} (last lines)")
        print("\n".join(log.read_text(errors="replace").splitlines()[-15:]))


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=8, help="jobs at once per worker")
    parser.add_argument("--server", choices=["asyncio", "threaded"], default="asyncio")
    parser.add_argument(
        "--image-format", choices=["png", "jpg"], default="png", help="of the og:image files"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--admin-url",
        default=os.environ.get("PROJECT_TEST_POSTGRES_URL", DEFAULT_ADMIN_URL),
        help="a PostgreSQL URL allowed to create databases",
    )
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL)
    parser.add_argument("--timeout", type=float, default=600, help="give up after (seconds)")
    parser.add_argument(
        "--profile-dir", type=Path, default=None, help="py-spy the first worker, samples here"
    )
    parser.add_argument("--serve", choices=["asyncio", "threaded"], help=argparse.SUPPRESS)
    return parser.parse_args()


def main() -> None:
    args = _arguments()
    if args.serve:
        serve(args.pages, args.seed, args.serve, args.image_format)
        return
    with tempfile.TemporaryDirectory(prefix="bench-archive-") as scratch:
        asyncio.run(benchmark(args, Path(scratch)))


if __name__ == "__main__":
    main()
