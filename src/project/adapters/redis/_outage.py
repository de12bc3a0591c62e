"""Logs a Redis outage once when it starts and once when it ends, not on every call."""

from __future__ import annotations

import structlog
from redis.exceptions import RedisError

# The errors of an unreachable or failing server; adapters degrade instead of raising them.
REDIS_ERRORS = (RedisError, OSError)

_log = structlog.get_logger(__name__)


class OutageLog:
    """Remembers whether the last call of one adapter failed, to log transitions only."""

    def __init__(self, adapter: str) -> None:
        self._adapter = adapter
        self._down = False

    def failed(self, error: BaseException, *, degraded_to: str) -> None:
        if self._down:
            return
        self._down = True
        # The type only: driver messages can carry hosts and credentials.
        _log.warning(
            "redis_unavailable",
            adapter=self._adapter,
            error=type(error).__name__,
            degraded_to=degraded_to,
        )

    def succeeded(self) -> None:
        if not self._down:
            return
        self._down = False
        _log.info("redis_recovered", adapter=self._adapter)
