"""Mail the service sends (password resets, invites)."""

from __future__ import annotations

import msgspec


class OutgoingEmail(msgspec.Struct, frozen=True, kw_only=True):
    to: str
    subject: str
    text: str
