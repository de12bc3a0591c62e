"""The session denylist on Redis, shared by every app process (S5)."""

from __future__ import annotations

from datetime import timedelta

import redis.asyncio
import structlog

from project.adapters.redis._outage import REDIS_ERRORS, OutageLog
from project.adapters.redis._ttl import milliseconds
from project.domain.model.ids import SessionId

# Atomically: deny for ARGV[1] ms unless the key already lives longer (PTTL -1 is forever,
# -2 is absent), so a later, shorter denial never cuts an earlier one short.
_DENY = """
local left = redis.call('PTTL', KEYS[1])
if left == -2 or (left >= 0 and left < tonumber(ARGV[1])) then
    redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
end
return 0
"""

_log = structlog.get_logger(__name__)


class RedisSessionDenylist:
    """The `SessionDenylist` port on Redis keys that expire with the denial.

    When Redis fails, `is_denied` answers `fail_closed`: True refuses every access token
    until Redis is back (safety first), False lets them through until they expire on their
    own (availability first). A failed `deny` is logged as an error and swallowed: the
    session is revoked in the database anyway, so only the access token's last minutes leak.
    """

    def __init__(self, client: redis.asyncio.Redis, prefix: str, *, fail_closed: bool) -> None:
        self._client = client
        self._prefix = prefix
        self._fail_closed = fail_closed
        self._deny = client.register_script(_DENY)
        self._outage = OutageLog("session_denylist")

    async def deny(self, session_id: SessionId, ttl: timedelta) -> None:
        if ttl <= timedelta(0):
            return  # nothing to deny: a token cannot outlive a past instant
        try:
            await self._deny(keys=[self._key(session_id)], args=[milliseconds(ttl)])
        except REDIS_ERRORS as error:
            _log.error("session_denylist_write_failed", error=type(error).__name__)
            return
        self._outage.succeeded()

    async def is_denied(self, session_id: SessionId) -> bool:
        try:
            found = await self._client.exists(self._key(session_id))
        except REDIS_ERRORS as error:
            self._outage.failed(error, degraded_to="denied" if self._fail_closed else "allowed")
            return self._fail_closed
        self._outage.succeeded()
        return bool(found)

    def _key(self, session_id: SessionId) -> str:
        return f"{self._prefix}{session_id}"
