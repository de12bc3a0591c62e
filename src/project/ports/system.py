"""Time and identity, behind ports so tests can control them."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware in UTC."""
        ...


class IdGenerator(Protocol):
    def new_id(self) -> UUID:
        """A new time-ordered UUID (v7), so ids sort by creation and index well."""
        ...
