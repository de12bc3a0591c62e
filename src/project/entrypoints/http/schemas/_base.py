"""Bases and bounded field types shared by the wire schemas (REQUIREMENTS S15, S16).

Requests are strict: an unknown or server-owned field is a 400, never silently dropped.
Bounds stop oversized input at the door; the domain still decides what a value means (a
password is weak, an email malformed), so no minimum lengths here beyond "not empty".
"""

from __future__ import annotations

from typing import Annotated

import msgspec

from project.domain.model.passwords import MAX_PASSWORD_LENGTH
from project.domain.model.tokens import MAX_TOKEN_NAME_LENGTH
from project.domain.model.users import MAX_DISPLAY_NAME_LENGTH, MAX_EMAIL_LENGTH

# Opaque secrets we issue are ~50 characters; leave room, refuse anything absurd.
MAX_SECRET_LENGTH = 512

Email = Annotated[str, msgspec.Meta(max_length=MAX_EMAIL_LENGTH, examples=["ann@example.com"])]
Password = Annotated[str, msgspec.Meta(max_length=MAX_PASSWORD_LENGTH)]
DisplayName = Annotated[str, msgspec.Meta(max_length=MAX_DISPLAY_NAME_LENGTH)]
TokenName = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_TOKEN_NAME_LENGTH)]
Secret = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_SECRET_LENGTH)]
# A six-digit TOTP code or a recovery code (`xxxx-xxxx-xxxx`), with room for spaces (S7).
SecondFactorCode = Annotated[str, msgspec.Meta(min_length=6, max_length=32, examples=["123456"])]


class InBody(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A request body: unknown fields are rejected (mass assignment, B9)."""


class OutBody(msgspec.Struct, kw_only=True):
    """A response body, built from domain objects field by field (never the object itself)."""
