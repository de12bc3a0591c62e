"""The web app's bookmark list at 100k bookmarks, in a real browser: does it stay smooth?

    .venv/bin/python -m benchmarks.web_scroll [--total 100000] [--page-size 100]
        [--seconds 20] [--steady-seconds 10] [--step 1200] [--control 200] [--quick]
        [--json FILE]

A real `project serve` (embedded: SQLite in a temporary data directory, on a free loopback
port, as the browser tests start it) and Debian's Chromium, headless, driven by Playwright.
A user signs up through the app's sign-up page (the control run signs in through the sign-in
page, in a fresh browser context). Every `GET /api/v1/bookmarks` is answered by Playwright
(`context.route`) with synthetic pages of full BookmarkOut items (no images: preview_url and
favicon_url are null), `--total` of them in all, each page at most `--page-size` items and no
more than the `limit` the app asks for (it asks for 50); everything else (auth, /me, the
collections) reaches the real server. So the list believes there are 100k bookmarks without a
100k-row database, and the figures are the browser's alone.

Each run (one at `--total`, then the control at `--control`, 200 by default) has phases:
- idle: 2 s of requestAnimationFrame with nothing happening, which shows how headless
  Chromium paces frames here;
- fling: the list's scroller (`[data-testid=bookmark-scroller]`) scrolled down `--step` px
  every frame for `--seconds` (and on until 20k bookmarks are loaded, at most 3 x as long),
  the list fetching pages as it nears the end of what it has; at the very end of what is
  loaded the scroll waits for the next page (frames "at the loaded end");
- load: the rest loaded by jumping to the end of the list, every frame, until all `--total`
  are in (the JS heap after a forced GC at every 10k);
- drag and wheel: with everything loaded, from the middle of the list, `--step` px a frame
  (every frame shows only new rows) and then 48 px a frame (a brisk wheel), for
  `--steady-seconds` each, turning round at either end;
- jumps: 20 jumps to positions across the whole list, each checked: the row at the position
  must be rendered, in its place, with its own bookmark's title.

Every scroll step sets `scrollTop` and then dispatches the scroll event itself and reads
`scrollHeight`, so the virtualizer's listener, React's render (the virtualizer re-renders with
flushSync on scroll) and style and layout all happen inside `performance.now()` marks: that
is the "step cost", the main-thread work of one step, excluding paint. The browser's own scroll
event follows and changes nothing. Measured in the page as well: rAF intervals, long tasks
(PerformanceObserver, type "longtask": tasks over 50 ms), the rows in the list (every frame)
and all elements in the document (every 30 frames). Measured through the DevTools protocol
(Performance.getMetrics) per phase: the main thread's time in tasks, in scripts and in style
and layout, its CPU time (ThreadTime) and the renderer process's (ProcessTime); and the JS heap
(Runtime.getHeapUsage after HeapProfiler.collectGarbage) and DOM node count.

Headless Chromium has no GPU here and rasterises in software, on a machine whose cores other
work shares: the number of cores, the load average and Chromium's version are printed with the
figures. Frame intervals say whether frames were dropped as this machine ran them; the
main-thread CPU per 1000 px, the long tasks and the comparison with the control run are the
figures that carry over. Ctrl-C or SIGTERM stops the server and the browser and removes the
temporary directory.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from tests.browser._chromium import CHROMIUM, CHROMIUM_ARGS
from tests.browser._server import PASSWORD, AppServer

from benchmarks import _machine

if TYPE_CHECKING:
    from playwright.async_api import (
        Browser,
        BrowserContext,
        CDPSession,
        Page,
        Route,
        ViewportSize,
    )

EMAIL = "scroll-bench@example.com"
VIEWPORT: ViewportSize = {"width": 1280, "height": 900}
API_MAX_PAGE = 100
MIN_FLING_LOADED = 20_000
WHEEL_STEP = 48
IDLE_SECONDS = 2.0
LOAD_TIMEOUT_S = 300.0
MILESTONE = 10_000
# Where the jumps land, as a share of the list: deep, shallow, and back and forth.
JUMPS = (0.99, 0.5, 0.01, 0.75, 0.25, 0.9, 0.1, 0.6, 0.4, 0.999)
JUMPS_TWICE = (*JUMPS, *reversed(JUMPS))
UI_TIMEOUT_MS = 30_000
MIB = 2**20

_TEXT = (
    "notes on the quiet history of small tools for reading later and the art of keeping links "
    "that matter when the web forgets what it once said about design systems and databases"
)
_EPOCH = datetime(2025, 6, 1, tzinfo=UTC)
_STATUSES = ("archived", "archived", "archived", "none", "failed")


_WORDS = _TEXT.split()


def _word(number: int) -> str:
    return _WORDS[number % len(_WORDS)]


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def synthetic_bookmark(index: int) -> dict[str, Any]:
    """Bookmark `index` (0 = newest) as BookmarkOut; its title starts with "Article <index> "."""
    id = f"00000000-0000-4000-8000-{index:012d}"
    host = f"site{index % 997}.example.org"
    url = f"https://{host}/articles/{index}"
    title = f"Article {index} " + " ".join(_word(index + k) for k in range(2 + index % 9))
    description = " ".join(_word(index * 7 + k) for k in range(12))
    status = _STATUSES[index % len(_STATUSES)]
    created = _iso(_EPOCH - timedelta(minutes=index))
    return {
        "id": id,
        "url": url,
        "canonical_url": url,
        "title": title,
        "description": description,
        "display_title": title,
        "display_description": description,
        "notes": "",
        "tags": [f"topic{(index + k) % 40}" for k in range(index % 4)],
        "collection_id": None,
        "unread": index % 3 == 0,
        "archived": index % 11 == 0,
        "favorite": index % 7 == 0,
        "created_at": created,
        "updated_at": created,
        "version": 1 + index % 3,
        "page": {
            "title": title,
            "description": description,
            "site_name": host,
            "language": "en",
            "word_count": 300 + index % 2000,
        },
        "archive_status": status,
        "archive_error": "fetch failed: HTTP 404" if status == "failed" else None,
        "snapshot_url": f"/api/v1/bookmarks/{id}/snapshot" if status == "archived" else None,
        "preview_url": None,
        "favicon_url": None,
    }


@dataclass
class Feed:
    """The synthetic `GET /api/v1/bookmarks`: `total` bookmarks, newest first, cursor = offset."""

    total: int
    page_size: int
    pages: int = 0
    limits: set[int] = field(default_factory=set)

    @staticmethod
    def matches(url: str) -> bool:
        return urlsplit(url).path == "/api/v1/bookmarks"

    async def fulfil(self, route: Route) -> None:
        if route.request.method != "GET":
            await route.continue_()
            return
        query = parse_qs(urlsplit(route.request.url).query)
        offset = int(query.get("cursor", ["0"])[0])
        asked = int(query.get("limit", [str(self.page_size)])[0])
        self.limits.add(asked)
        end = min(self.total, offset + min(asked, self.page_size))
        page = {
            "items": [synthetic_bookmark(index) for index in range(offset, end)],
            "next_cursor": str(end) if end < self.total else None,
            "total": None,
        }
        self.pages += 1
        await route.fulfill(status=200, content_type="application/json", body=json.dumps(page))


# Installed in the page once the list shows its first rows: window.__bench.
PROBE = """() => {
  const ROW = 72;
  const scroller = document.querySelector('[data-testid="bookmark-scroller"]');
  const list = scroller.querySelector('ul');
  const status = document.querySelector('.bookmark-list-status');
  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  const longtasks = [];
  new PerformanceObserver((entries) => {
    for (const entry of entries.getEntries()) longtasks.push(entry.duration);
  }).observe({ type: 'longtask' });
  const loaded = () => Math.round(parseFloat(list.style.height || '0') / ROW);
  const done = () => (status.textContent || '').startsWith('All ');
  const elements = () => document.getElementsByTagName('*').length;
  // One scroll step: the virtualizer's listener, React's (flushSync) render, style and layout.
  const step = (top) => {
    const start = performance.now();
    scroller.scrollTop = top;
    scroller.dispatchEvent(new Event('scroll'));
    void scroller.scrollHeight;
    return performance.now() - start;
  };

  async function scroll({ px, seconds, minLoaded, maxSeconds, fromShare }) {
    if (fromShare !== null) {
      step(Math.floor(fromShare * loaded()) * ROW);
      await frame();
    }
    const firstTask = longtasks.length;
    const loadedStart = loaded();
    const frames = [], costs = [];
    let direction = 1, moved = 0, atEnd = 0, maxRows = 0, maxElements = elements();
    let last = await frame();
    const start = last;
    for (;;) {
      const now = await frame();
      frames.push(now - last);
      last = now;
      const elapsed = (now - start) / 1000;
      if ((elapsed >= seconds && (loaded() >= minLoaded || done())) || elapsed >= maxSeconds) break;
      if (px === 0) continue;
      const top = scroller.scrollTop;
      const max = scroller.scrollHeight - scroller.clientHeight;
      if (top >= max - 1 && direction > 0) {
        if (done()) direction = -1;
        else atEnd += 1;
      } else if (top <= 0 && direction < 0) direction = 1;
      costs.push(step(Math.max(0, Math.min(max, top + direction * px))));
      moved += Math.abs(scroller.scrollTop - top);
      maxRows = Math.max(maxRows, list.childElementCount);
      if (frames.length % 30 === 0) maxElements = Math.max(maxElements, elements());
    }
    return {
      frames, costs, px: moved, seconds: (last - start) / 1000, atEnd, maxRows, maxElements,
      loadedStart, loadedEnd: loaded(), longtasks: longtasks.slice(firstTask),
    };
  }

  async function loadTo(target, timeoutMs) {
    const start = performance.now();
    const firstTask = longtasks.length;
    let maxRows = 0;
    while (loaded() < target && !done() && performance.now() - start < timeoutMs) {
      scroller.scrollTop = scroller.scrollHeight;
      await frame();
      maxRows = Math.max(maxRows, list.childElementCount);
    }
    return { loaded: loaded(), ms: performance.now() - start, maxRows,
             longtasks: longtasks.slice(firstTask) };
  }

  async function jumps(shares) {
    const out = [];
    const count = loaded();
    const visible = Math.ceil(scroller.clientHeight / ROW);
    for (const share of shares) {
      const index = Math.min(count - visible, Math.floor(share * count));
      const start = performance.now();
      const cost = step(index * ROW);
      await frame();
      const toFrame = performance.now() - start;
      const shown = [...list.children].map((li) => Number(li.dataset.index));
      const row = list.querySelector(`[data-index="${index}"]`);
      const title = row ? (row.querySelector('.bookmark-title')?.textContent || '') : '';
      // Laid out at its own offset (style.transform reads back as 1.08e+06px past 1e6 px), at
      // the top of the scroller's viewport.
      const top = row ? row.getBoundingClientRect().top : NaN;
      const placed = Math.abs(top - list.getBoundingClientRect().top - index * ROW) < 1
        && Math.abs(top - scroller.getBoundingClientRect().top - scroller.clientTop) < 1;
      out.push({ index, cost, toFrame, rows: shown.length, first: Math.min(...shown),
                 last: Math.max(...shown), ok: placed && title.startsWith(`Article ${index} `) });
      await frame();
    }
    return out;
  }

  window.__bench = { scroll, loadTo, jumps, loaded, done, elements };
}"""


# Performance.getMetrics counters (seconds) kept per phase: the main thread's time in tasks
# (wall), in scripts and in style and layout; its CPU time; the whole renderer's CPU time.
COUNTERS = (
    "TaskDuration",
    "ScriptDuration",
    "LayoutDuration",
    "RecalcStyleDuration",
    "ThreadTime",
    "ProcessTime",
)


@dataclass
class Phase:
    name: str
    step_px: int
    result: dict[str, Any]
    spent: dict[str, float]
    pages: int

    @property
    def seconds(self) -> float:
        return float(self.result["seconds"])


@dataclass
class HeapSample:
    when: str
    loaded: int
    heap_mib: float
    nodes: int
    elements: int
    load_s: float | None = None
    longtasks: list[float] | None = None
    max_rows: int | None = None


@dataclass
class Run:
    total: int
    page_size: int
    phases: list[Phase] = field(default_factory=list)
    heap: list[HeapSample] = field(default_factory=list)
    jumps: list[dict[str, Any]] = field(default_factory=list)
    pages: int = 0
    limits: set[int] = field(default_factory=set)
    load_before: str = ""
    load_after: str = ""
    bundle: str = ""


class Bench:
    """One browser context, signed in, on the bookmark list fed by a `Feed`."""

    def __init__(self, page: Page, cdp: CDPSession, feed: Feed) -> None:
        self.page, self.cdp, self.feed = page, cdp, feed

    async def metrics(self) -> dict[str, float]:
        answer = await self.cdp.send("Performance.getMetrics")
        return {metric["name"]: float(metric["value"]) for metric in answer["metrics"]}

    async def heap(self, when: str) -> HeapSample:
        await self.cdp.send("HeapProfiler.collectGarbage")
        usage = await self.cdp.send("Runtime.getHeapUsage")
        metrics = await self.metrics()
        loaded, elements = await self.page.evaluate(
            "() => [window.__bench.loaded(), window.__bench.elements()]"
        )
        return HeapSample(
            when, int(loaded), usage["usedSize"] / MIB, int(metrics["Nodes"]), int(elements)
        )

    async def phase(self, name: str, step_px: int, options: dict[str, Any]) -> Phase:
        before, pages = await self.metrics(), self.feed.pages
        result = await self.page.evaluate(
            "options => window.__bench.scroll(options)", options | {"px": step_px}
        )
        after = await self.metrics()
        spent = {name: after.get(name, 0.0) - before.get(name, 0.0) for name in COUNTERS}
        return Phase(name, step_px, result, spent, self.feed.pages - pages)


async def _sign_up(page: Page) -> None:
    await page.goto("/sign-up")
    await page.get_by_label("Email").fill(EMAIL)
    await page.get_by_label("Password", exact=True).fill(PASSWORD)
    await page.get_by_role("button", name="Create account").click()


async def _sign_in(page: Page) -> None:
    await page.goto("/sign-in")
    await page.get_by_label("Email").fill(EMAIL)
    await page.get_by_label("Password", exact=True).fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()


async def measure(
    browser: Browser, origin: str, total: int, args: argparse.Namespace, *, new_user: bool
) -> Run:
    feed = Feed(total, args.page_size)
    run = Run(total, args.page_size, load_before=_machine.load_average())
    context: BrowserContext = await browser.new_context(base_url=origin, viewport=VIEWPORT)
    context.set_default_timeout(UI_TIMEOUT_MS)
    try:
        await context.route(Feed.matches, feed.fulfil)
        page = await context.new_page()
        await (_sign_up(page) if new_user else _sign_in(page))
        await page.locator("[data-testid=bookmark-scroller] li.bookmark-item").first.wait_for()
        await page.evaluate(PROBE)
        run.bundle = await page.evaluate(
            "() => (document.querySelector('script[type=module]')?.src || '?').split('/').pop()"
        )
        cdp = await context.new_cdp_session(page)
        await cdp.send("Performance.enable")
        await cdp.send("HeapProfiler.enable")
        bench = Bench(page, cdp, feed)
        await _run_phases(bench, run, args)
    finally:
        run.pages, run.limits = feed.pages, feed.limits
        run.load_after = _machine.load_average()
        await context.close()
    return run


async def _run_phases(bench: Bench, run: Run, args: argparse.Namespace) -> None:
    page = bench.page
    idle = {"seconds": IDLE_SECONDS, "minLoaded": 0, "maxSeconds": IDLE_SECONDS, "fromShare": None}
    run.phases.append(await bench.phase("idle", 0, idle))
    run.heap.append(await bench.heap("start"))
    fling = {
        "seconds": args.seconds,
        "minLoaded": min(run.total, MIN_FLING_LOADED),
        "maxSeconds": args.seconds * 3,
        "fromShare": None,
    }
    run.phases.append(await bench.phase("fling", args.step, fling))
    run.heap.append(await bench.heap("after the fling"))

    next_mark = (run.heap[-1].loaded // MILESTONE + 1) * MILESTONE
    while not await page.evaluate("() => window.__bench.done()"):
        target = min(next_mark, run.total)
        started = time.perf_counter()
        reached = await page.evaluate(
            "([target, ms]) => window.__bench.loadTo(target, ms)",
            [target, LOAD_TIMEOUT_S * 1000],
        )
        elapsed = time.perf_counter() - started
        if reached["loaded"] < target and not await page.evaluate("() => window.__bench.done()"):
            raise RuntimeError(f"the list stopped loading at {reached['loaded']} bookmarks")
        sample = await bench.heap("loading")
        sample.load_s, sample.longtasks = elapsed, reached["longtasks"]
        sample.max_rows = int(reached["maxRows"])
        run.heap.append(sample)
        next_mark += MILESTONE

    steady = {"seconds": args.steady_seconds, "minLoaded": 0, "maxSeconds": args.steady_seconds}
    run.phases.append(await bench.phase("drag", args.step, steady | {"fromShare": 0.5}))
    run.phases.append(await bench.phase("wheel", WHEEL_STEP, steady | {"fromShare": 0.5}))
    run.jumps = await page.evaluate("shares => window.__bench.jumps(shares)", list(JUMPS_TWICE))
    run.heap.append(await bench.heap("end"))


# Reporting.

FRAME_MS = 1000 / 60
# rAF timestamps come in steps of 0.1 ms: a frame on time reads 16.6 to 16.8 ms. A frame is
# counted as late (one or more vsyncs missed) past 1.2 frames.
LATE_MS = 1.2 * FRAME_MS


def _pct(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def _share_over(values: list[float], limit: float) -> str:
    if not values:
        return "-"
    return f"{100 * sum(1 for value in values if value > limit) / len(values):.1f} %"


def _spread(values: list[float], digits: int = 1) -> str:
    if not values:
        return "-"
    shares = (_pct(values, 0.5), _pct(values, 0.95), _pct(values, 0.99), max(values))
    return " / ".join(f"{value:.{digits}f}" for value in shares)


def _label(total: int) -> str:
    return f"{total:,}".replace(",", " ")


def _per_1000_px(seconds: float, px: float) -> str:
    return "-" if px < 1 else f"{seconds * 1_000_000 / px:.1f}"


def report(runs: list[Run], args: argparse.Namespace, chromium: str, started: str) -> None:
    limits = sorted({limit for run in runs for limit in run.limits})
    print(
        f"\nMachine: {os.cpu_count()} cores ({_machine.cpu_model()}), "
        f"{_machine.memory_gib():.1f} GiB, load average {started} at the start; {chromium}, "
        f"headless, software raster (no GPU); viewport {VIEWPORT['width']}x"
        f"{VIEWPORT['height']} (the scroller: 75vh); pages of "
        f"{min([args.page_size, *limits])} bookmarks (the app asks limit={limits}, "
        f"--page-size {args.page_size})."
    )
    for run in runs:
        print(
            f"- {_label(run.total)} run: load average {run.load_before} at its start, "
            f"{run.load_after} at its end; {run.pages} pages fetched; the app's bundle "
            f"{run.bundle}."
        )
    _frames_table(runs)
    _work_table(runs)
    _heap_table(runs)
    _jumps_table(runs)


def _frames_table(runs: list[Run]) -> None:
    print("\nFrames: requestAnimationFrame intervals (ms), late = over 1.2 frames (20 ms).\n")
    print(
        "| bookmarks | phase | px/frame | s | frames | loaded (start → end) "
        "| interval p50 / p95 / p99 / max | late | > 50 ms | at the loaded end |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for run in runs:
        for phase in run.phases:
            result = phase.result
            frames = [float(value) for value in result["frames"]]
            print(
                f"| {_label(run.total)} | {phase.name} | {phase.step_px} | {phase.seconds:.1f} "
                f"| {len(frames)} | {_label(result['loadedStart'])} → "
                f"{_label(result['loadedEnd'])} | {_spread(frames)} "
                f"| {_share_over(frames, LATE_MS)} | {_share_over(frames, 50)} "
                f"| {result['atEnd']} |"
            )


def _work_table(runs: list[Run]) -> None:
    print(
        "\nMain-thread work: step cost = one scroll step's listener + React render + style and "
        "layout (ms, wall); busy = the main thread's time in tasks / wall time; CPU = its CPU "
        "time / wall time; renderer = the whole renderer process's CPU (all threads, raster "
        "included) / wall time; per 1000 px scrolled, the main thread's time in tasks, its CPU "
        "time, and the tasks' time in scripts and in style and layout.\n"
    )
    print(
        "| bookmarks | phase | step cost p50 / p95 / p99 / max | busy | CPU | renderer "
        "| ms per 1000 px: tasks / CPU / script / style+layout | long tasks (n, ms, max) "
        "| rows in DOM (max) | elements (max) | pages fetched |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for run in runs:
        for phase in run.phases:
            result, spent, wall = phase.result, phase.spent, max(phase.seconds, 1e-9)
            costs = [float(value) for value in result["costs"]]
            tasks = [float(value) for value in result["longtasks"]]
            px = float(result["px"])
            style_layout = spent["LayoutDuration"] + spent["RecalcStyleDuration"]
            per_px = " / ".join(
                _per_1000_px(seconds, px)
                for seconds in (
                    spent["TaskDuration"],
                    spent["ThreadTime"],
                    spent["ScriptDuration"],
                    style_layout,
                )
            )
            print(
                f"| {_label(run.total)} | {phase.name} | {_spread(costs, 2)} "
                f"| {100 * spent['TaskDuration'] / wall:.0f} % "
                f"| {100 * spent['ThreadTime'] / wall:.0f} % "
                f"| {100 * spent['ProcessTime'] / wall:.0f} % | {per_px} "
                f"| {len(tasks)}, {sum(tasks):.0f}, {max(tasks, default=0):.0f} "
                f"| {result['maxRows']} | {result['maxElements']} | {phase.pages} |"
            )


def _heap_table(runs: list[Run]) -> None:
    print(
        "\nLoading the rest (a jump to the end of the list every frame) and the JS heap after a "
        "forced GC:\n"
    )
    print(
        "| bookmarks | when | loaded | JS heap MiB | DOM nodes | elements | s for this 10k "
        "| long tasks (n, max ms) | rows in DOM (max) |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for run in runs:
        for sample in run.heap:
            took = "-" if sample.load_s is None else f"{sample.load_s:.1f}"
            tasks = sample.longtasks
            long = "-" if tasks is None else f"{len(tasks)}, {max(tasks, default=0):.0f}"
            rows = "-" if sample.max_rows is None else str(sample.max_rows)
            print(
                f"| {_label(run.total)} | {sample.when} | {_label(sample.loaded)} "
                f"| {sample.heap_mib:.1f} | {sample.nodes} | {sample.elements} | {took} "
                f"| {long} | {rows} |"
            )
    for run in runs:
        growth = _heap_growth(run)
        if growth is not None:
            print(
                f"\nJS heap growth, {_label(run.total)} run: {growth:.2f} MiB per 10k bookmarks "
                f"loaded ({growth * MIB / MILESTONE:.0f} bytes a bookmark; least squares over "
                "the samples from the fling's end on)."
            )


def _jumps_table(runs: list[Run]) -> None:
    print("\nJumps across the whole list, each checked (ms):\n")
    print(
        "| bookmarks | jumps | rows right | step cost p50 / max | to the next frame p50 / max "
        "| rows in DOM (max) |"
    )
    print("|---|---|---|---|---|---|")
    for run in runs:
        costs = [float(jump["cost"]) for jump in run.jumps]
        frames = [float(jump["toFrame"]) for jump in run.jumps]
        right = sum(1 for jump in run.jumps if jump["ok"])
        rows = max((int(jump["rows"]) for jump in run.jumps), default=0)
        print(
            f"| {_label(run.total)} | {len(run.jumps)} | {right} | {_pct(costs, 0.5):.1f} / "
            f"{max(costs, default=float('nan')):.1f} | {_pct(frames, 0.5):.1f} / "
            f"{max(frames, default=float('nan')):.1f} | {rows} |"
        )
        for jump in run.jumps:
            if not jump["ok"]:
                print(f"  wrong after a jump to row {jump['index']}: {jump}", file=sys.stderr)


def _heap_growth(run: Run) -> float | None:
    """MiB per 10k loaded: the least-squares slope from the fling's end to the last 10k."""
    samples = [sample for sample in run.heap if sample.when in ("after the fling", "loading")]
    if len(samples) < 2 or samples[-1].loaded == samples[0].loaded:
        return None
    fit = statistics.linear_regression(
        [sample.loaded for sample in samples], [sample.heap_mib for sample in samples]
    )
    return fit.slope * MILESTONE


def _as_json(runs: list[Run]) -> list[dict[str, Any]]:
    return [
        {
            "total": run.total,
            "phases": [
                {
                    "name": phase.name,
                    "step_px": phase.step_px,
                    "spent_s": phase.spent,
                    "pages": phase.pages,
                }
                | phase.result
                for phase in run.phases
            ],
            "heap": [sample.__dict__ for sample in run.heap],
            "jumps": run.jumps,
            "pages": run.pages,
            "limits": sorted(run.limits),
            "load_average": [run.load_before, run.load_after],
        }
        for run in runs
    ]


async def benchmark(args: argparse.Namespace, scratch: Path) -> list[Run]:
    from playwright.async_api import async_playwright

    # SIGTERM as Ctrl-C: the run is cancelled, and every `finally` below still runs.
    main_task = asyncio.current_task()
    assert main_task is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, main_task.cancel)
    started = _machine.load_average()
    app = AppServer(scratch / "data", scratch / "serve.log")
    app.start(fetch_port=app.port)  # nothing is archived: no fetch ever leaves
    try:
        await app.wait_ready()
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
            try:
                chromium = f"Chromium {browser.version}"
                runs = []
                for index, total in enumerate((args.total, args.control)):
                    if total <= 0:
                        continue
                    print(f"… {_label(total)} bookmarks", file=sys.stderr, flush=True)
                    runs.append(await measure(browser, app.origin, total, args, new_user=not index))
            finally:
                await browser.close()
        report(runs, args, chromium, started)
        return runs
    finally:
        app.stop()


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--total", type=int, help="bookmarks in the list (default 100000)")
    parser.add_argument(
        "--page-size",
        type=int,
        default=API_MAX_PAGE,
        help="most bookmarks a page holds (default and the API's maximum: 100; the app's own "
        "limit applies when smaller)",
    )
    parser.add_argument("--seconds", type=float, help="the fling's length (default 20)")
    parser.add_argument(
        "--steady-seconds", type=float, help="the drag's and the wheel's length (default 10)"
    )
    parser.add_argument("--step", type=int, default=1200, help="px a frame of the fling and drag")
    parser.add_argument("--control", type=int, default=200, help="the control's total (0: none)")
    parser.add_argument(
        "--quick", action="store_true", help="20k bookmarks, a 5 s fling, 3 s drag and wheel"
    )
    parser.add_argument("--json", help="also write the raw figures to this file")
    args = parser.parse_args()
    quick = args.quick
    args.total = args.total if args.total is not None else (20_000 if quick else 100_000)
    args.seconds = args.seconds if args.seconds is not None else (5.0 if quick else 20.0)
    if args.steady_seconds is None:
        args.steady_seconds = 3.0 if quick else 10.0
    if not 1 <= args.page_size <= API_MAX_PAGE:
        parser.error(f"--page-size must be 1 to {API_MAX_PAGE}")
    return args


def main() -> None:
    args = _arguments()
    if not os.access(CHROMIUM, os.X_OK):
        sys.exit(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="web-scroll-") as scratch:
        try:
            runs = asyncio.run(benchmark(args, Path(scratch)))
        except (KeyboardInterrupt, asyncio.CancelledError):
            print("interrupted: the server and the browser are stopped", file=sys.stderr)
            sys.exit(130)
    if args.json:
        Path(args.json).write_text(json.dumps(_as_json(runs), indent=1))


if __name__ == "__main__":
    main()
