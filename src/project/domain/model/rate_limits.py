"""The outcome of counting one attempt against a limit in a fixed window."""

from __future__ import annotations

from datetime import timedelta

import msgspec


class RateLimitDecision(msgspec.Struct, frozen=True, kw_only=True):
    allowed: bool
    limit: int
    remaining: int
    # Time until the current window ends and the count starts again (Retry-After when denied).
    reset_after: timedelta

    @property
    def retry_after_seconds(self) -> int:
        return max(1, int(-(-self.reset_after.total_seconds() // 1)))
