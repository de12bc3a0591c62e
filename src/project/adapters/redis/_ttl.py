"""Durations as Redis takes them: whole milliseconds, at least one."""

from __future__ import annotations

import math
from datetime import timedelta


def milliseconds(duration: timedelta) -> int:
    """`duration` rounded up to whole milliseconds; raises ValueError unless positive."""
    if duration <= timedelta(0):
        raise ValueError("a Redis expiry must be positive")
    return math.ceil(duration / timedelta(milliseconds=1))
