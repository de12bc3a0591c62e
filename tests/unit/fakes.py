"""Controllable clock and ids for unit tests (the only hand-written fakes allowed)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from uuid import UUID


class FakeClock:
    def __init__(self, start: datetime = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)) -> None:
        self.current = start

    def now(self) -> datetime:
        return self.current

    def advance(self, delta: timedelta) -> None:
        self.current += delta


class SequentialIds:
    """UUIDv7-shaped ids that count up, so tests can predict ordering."""

    def __init__(self) -> None:
        self._counter = itertools.count(1)

    def new_id(self) -> UUID:
        n = next(self._counter)
        return UUID(f"01900000-0000-7000-8000-{n:012x}")
