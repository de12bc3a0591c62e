"""P4: import a generated Netscape bookmark file of 100k entries; time and peak memory.

    .venv/bin/python -m benchmarks.import_netscape [--entries 100000] [--database-url URL]

The file is generated first (seeded, so every run reads the same bytes) and is not timed.
The timed part is what `project import` does: stream the file in 256 KiB chunks through
`ImportService.run` into a fresh user, over the library (`project.open_project()`).

A second pass imports the same file into another fresh user under tracemalloc, whose own
overhead would distort the timing of the first: it gives the peak of Python allocations.
The first pass gives the growth of the process's peak RSS (ru_maxrss).
"""

from __future__ import annotations

import argparse
import asyncio
import html
import platform
import random
import resource
import secrets
import tempfile
import time
import tracemalloc
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from project import open_project
from project.domain.model.context import LOCAL
from project.domain.model.imports import ImportReport
from project.entrypoints.library import Project
from project.entrypoints.settings import Environment, Settings

CHUNK_SIZE = 256 * 1024
PASSWORD = "benchmark passphrase 123"  # noqa: S105 - a throwaway account's
_VOCABULARY = """
python rust async database index query cache server client protocol design pattern testing
release security privacy browser archive search bookmark reading guide notes tutorial recipe
travel music history science climate energy market startup interview review course lecture
paper thesis kernel network storage memory compiler language garden photo video podcast game
chess football politics economy health sleep coffee
"""
WORDS = _VOCABULARY.split()
TAGS = [f"{a}-{b}" for a, b in zip(WORDS[::2], WORDS[1::2], strict=False)] + WORDS
TAGS += [f"topic{i}" for i in range(150)]  # a vocabulary of ~230 tags
FOLDERS = ["Reading List", "Work", "Recipes", "Travel 2023", "Research", "Tools", "Music"]
SITES = [f"{w}{i}.example.{tld}" for i, w in enumerate(WORDS * 40) for tld in ("com", "org")]
START, SPAN = 1_300_000_000, 12 * 365 * 86_400  # 2011 to 2023


@dataclass(frozen=True)
class Result:
    entries: int
    seconds: float
    cpu_seconds: float
    report: ImportReport
    rss_delta_mib: float


def _title(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(2, 12))
    title = " ".join(words).capitalize()
    if rng.random() < 0.1:
        title += " — “quoted” & <escaped> café"
    return title


def _entry(rng: random.Random, i: int) -> str:
    site = rng.choice(SITES)
    path = "/".join(rng.choices(WORDS, k=rng.randint(1, 4)))
    query = f"?id={i}" + ("&utm_source=newsletter&utm_medium=email" if rng.random() < 0.2 else "")
    added = START + rng.randrange(SPAN)
    attrs = {
        "HREF": f"https://{site}/{path}/{i}{query}",
        "ADD_DATE": str(added),
        "LAST_MODIFIED": str(added + rng.randrange(86_400 * 30)),
        "PRIVATE": "1" if rng.random() < 0.7 else "0",
        "TOREAD": "1" if rng.random() < 0.15 else "0",
        "TAGS": ",".join(rng.sample(TAGS, k=rng.randint(0, 5))),
    }
    shown = " ".join(f'{k}="{html.escape(v)}"' for k, v in attrs.items())
    line = f"<DT><A {shown}>{html.escape(_title(rng))}</A>\n"
    if rng.random() < 0.5:
        words = rng.choices(WORDS, k=rng.randint(5, 60))
        line += f"<DD>{html.escape(' '.join(words))}\n"
    return line


def write_file(path: Path, entries: int, seed: int) -> int:
    """Write `entries` bookmarks in nested folders; return the file's size in bytes."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    with path.open("w", encoding="utf-8") as out:
        out.write(
            "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n"
            '<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">\n'
            "<TITLE>Bookmarks</TITLE>\n<H1>Bookmarks</H1>\n<DL><p>\n"
        )
        _write_folders(out, rng, entries)
        out.write("</DL><p>\n")
    return path.stat().st_size


def _write_folders(out: TextIO, rng: random.Random, entries: int) -> None:
    i = 0
    while i < entries:
        size = min(entries - i, rng.randint(50, 2_000))
        nested = rng.random() < 0.3
        out.write(f"<DT><H3>{rng.choice(FOLDERS)}</H3>\n<DL><p>\n")
        if nested:
            out.write(f"<DT><H3>{rng.choice(WORDS).title()}</H3>\n<DL><p>\n")
        for _ in range(size):
            out.write(_entry(rng, i))
            i += 1
        out.write("</DL><p>\n" * (2 if nested else 1))


async def _chunks(path: Path) -> AsyncIterator[bytes]:
    with path.open("rb") as handle:
        while chunk := await asyncio.to_thread(handle.read, CHUNK_SIZE):
            yield chunk


def _max_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


async def _import(project: Project, path: Path) -> tuple[float, float, ImportReport]:
    """Import the file for a fresh user: (wall seconds, CPU seconds of this process, report)."""
    email = f"bench-{secrets.token_hex(4)}@example.com"
    owner = await project.admin.create_user(None, email, PASSWORD, ctx=LOCAL)
    started, cpu = time.perf_counter(), time.process_time()
    report = await project.imports.run(owner.id, _chunks(path), progress=lambda _: None)
    return time.perf_counter() - started, time.process_time() - cpu, report


async def run(settings: Settings, path: Path, *, trace: bool) -> tuple[Result, int | None]:
    async with open_project(settings) as project:
        await project.check_database()
        rss_before = _max_rss_mib()
        seconds, cpu_seconds, report = await _import(project, path)
        growth = _max_rss_mib() - rss_before
        timed = Result(report.processed, seconds, cpu_seconds, report, growth)
        if not trace:
            return timed, None
        tracemalloc.start()
        try:
            await _import(project, path)
            return timed, tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument(
        "--database-url", help="default: a SQLite file in a temporary directory", default=None
    )
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument(
        "--no-tracemalloc", action="store_true", help="skip the tracemalloc pass (halves the run)"
    )
    return parser.parse_args()


def main() -> None:
    args = _arguments()
    with tempfile.TemporaryDirectory(prefix="bench-import-") as scratch:
        path = Path(scratch) / "bookmarks.html"
        size = write_file(path, args.entries, args.seed)
        settings = Settings(
            env=Environment.TEST,
            data_dir=Path(scratch) / "data",
            database_url=args.database_url,
            auto_migrate=True,
        ).resolve()
        timed, peak = asyncio.run(run(settings, path, trace=not args.no_tracemalloc))
    report = timed.report
    database = "sqlite" if settings.is_sqlite else "postgresql"
    print(f"python {platform.python_version()} on {platform.machine()}, database {database}")
    print(f"file           {args.entries} entries, {size / 2**20:.1f} MiB")
    print(
        f"report         created {report.created} updated {report.updated} "
        f"skipped {report.skipped} invalid {report.invalid_count}"
    )
    print(f"entries        {timed.entries}")
    print(f"seconds        {timed.seconds:.2f}")
    print(f"entries/s      {timed.entries / timed.seconds:,.0f}")
    print(f"cpu seconds    {timed.cpu_seconds:.2f} (this process: parsing, service, driver)")
    print(f"ru_maxrss +    {timed.rss_delta_mib:.1f} MiB (peak RSS growth during the import)")
    if peak is not None:
        print(f"tracemalloc    {peak / 2**20:.1f} MiB peak (second pass, into a fresh user)")


if __name__ == "__main__":
    main()
