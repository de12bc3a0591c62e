"""py-spy's raw samples of a server (`frame;frame;... count` lines), by part of the request."""

from __future__ import annotations

import collections
from collections.abc import Sequence
from pathlib import Path

# The innermost frame of one of these names the part a sample belongs to; the first match in
# this order wins, so the more specific needles come first.
PARTS = [
    ("argon2 (password hashing)", ("argon2",)),
    ("asyncpg (driver)", ("asyncpg",)),
    ("SQLAlchemy", ("sqlalchemy",)),
    ("redis-py (denylist, rate limits)", ("redis/",)),
    ("PyJWT", ("jwt/",)),
    ("structlog + logging", ("structlog", "logging/")),
    ("our HTTP layer (project/entrypoints)", ("project/entrypoints",)),
    ("our SQL adapters (project/adapters/sql)", ("project/adapters/sql",)),
    ("our other adapters", ("project/adapters",)),
    ("our services + model (project/domain)", ("project/domain",)),
    ("msgspec", ("msgspec",)),
    ("Litestar", ("litestar",)),
    ("uvicorn + h11", ("uvicorn", "h11")),
    ("asyncio event loop", ("asyncio",)),
]


def part_of(frames: Sequence[str]) -> str:
    for frame in reversed(frames):
        for name, needles in PARTS:
            if any(needle in frame for needle in needles):
                return name
    return "other"


def summarize(path: Path, rate: int, top: int = 12) -> str:
    """Samples by part (innermost known frame), and the functions with the most own samples."""
    if not path.exists():
        return f"no profile at {path}"
    parts: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit() or not stack:
            continue
        frames = stack.split(";")
        samples = int(count)
        total += samples
        parts[part_of(frames)] += samples
        own[frames[-1]] += samples
    if not total:
        return "py-spy took no samples"
    lines = [f"py-spy: {total} samples at {rate} Hz ({total / rate:.1f} s on a CPU), by part:"]
    lines += [f"  {n / total:6.1%}  {name}" for name, n in parts.most_common()]
    lines.append("functions with the most own samples:")
    lines += [f"  {n / total:6.1%}  {name}" for name, n in own.most_common(top)]
    return "\n".join(lines)
