"""Where a request came from, recorded on sessions and in the audit log."""

from __future__ import annotations

import msgspec

MAX_USER_AGENT = 512
MAX_IP = 64


class Context(msgspec.Struct, frozen=True):
    ip: str = ""
    user_agent: str = ""

    def __post_init__(self) -> None:
        # Truncate, not reject: these come from headers the caller does not control.
        msgspec.structs.force_setattr(self, "ip", self.ip[:MAX_IP])
        msgspec.structs.force_setattr(self, "user_agent", self.user_agent[:MAX_USER_AGENT])


LOCAL = Context(ip="local", user_agent="project cli")
