"""The second factor (REQUIREMENTS S7): TOTP codes (RFC 6238) and one-time recovery codes.

The arithmetic of a code (HMAC-SHA1 over a 30-second time step, 6 digits) sits behind the
`OneTimePasswords` port; what is decided here is which time steps a code may match. The
current step and one on either side are accepted, for clock skew, but never a step at or
before the last one the user spent: so each code works once, and once a code was used every
older one is dead too.

Recovery codes are ten random 60-bit codes, shown once and stored only as SHA-256 digests: with
that much entropy a slow password hash would protect nothing (as for our other secrets).
"""

from __future__ import annotations

import enum
import hashlib
import re
import secrets
from datetime import datetime, timedelta

import msgspec

from project.domain.model.ids import UserId
from project.domain.model.users import User

TOTP_STEP = timedelta(seconds=30)
TOTP_DIGITS = 6
TOTP_SKEW_STEPS = 1
"""Steps accepted on either side of the current one: a phone's clock may be off by a bit."""

RECOVERY_CODE_COUNT = 10
# Crockford's base32 (no i, l, o, u): 5 bits a character, 12 characters, 60 bits a code.
_RECOVERY_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
_RECOVERY_GROUPS = 3
_RECOVERY_GROUP_LENGTH = 4
_RECOVERY_LENGTH = _RECOVERY_GROUPS * _RECOVERY_GROUP_LENGTH
# What people mistype for the letters the alphabet leaves out.
_LOOKALIKES = str.maketrans({"i": "1", "l": "1", "o": "0", "-": None, " ": None})
_TOTP_CODE = re.compile(rf"[0-9]{{{TOTP_DIGITS}}}")


class SecretUnreadable(Exception):
    """A sealed secret failed to open: tampered with, or sealed under a key no longer
    configured. A server fault (the operator rotated PROJECT_SECRET_KEY without keeping the
    old one in PROJECT_PREVIOUS_SECRET_KEYS), so deliberately not a DomainError."""


class TotpRequirement(enum.StrEnum):
    """Whom the instance obliges to use a second factor (`PROJECT_REQUIRE_TOTP`)."""

    NONE = "none"
    ADMINS = "admins"
    ALL = "all"

    def covers(self, user: User) -> bool:
        """True when `user` must have a second factor, by this setting or their own flag."""
        return (
            user.totp_required
            or self is TotpRequirement.ALL
            or (self is TotpRequirement.ADMINS and user.is_admin)
        )


def time_step(at: datetime) -> int:
    """The RFC 6238 counter of the instant: whole steps since the Unix epoch."""
    return int(at.timestamp() // TOTP_STEP.total_seconds())


def totp_code(text: str) -> str | None:
    """The six digits of a code as typed (spaces allowed, `123 456`), or None if it is not one."""
    code = "".join(text.split())
    return code if _TOTP_CODE.fullmatch(code) else None


class TotpFactor(msgspec.Struct, kw_only=True):
    """A user's authenticator: enrolment started, then confirmed with a first valid code.

    The shared secret is kept sealed (encrypted); only the service opens it, to check a code.
    """

    user_id: UserId
    sealed_secret: str
    created_at: datetime
    confirmed_at: datetime | None = None
    last_used_step: int | None = None

    @property
    def is_enabled(self) -> bool:
        return self.confirmed_at is not None

    def usable_steps(self, at: datetime) -> list[int]:
        """The steps a code given at `at` may match, oldest first; spent steps are left out."""
        now = time_step(at)
        window = range(now - TOTP_SKEW_STEPS, now + TOTP_SKEW_STEPS + 1)
        return [
            step for step in window if self.last_used_step is None or step > self.last_used_step
        ]

    def confirm(self, at: datetime, step: int) -> None:
        """Turn the factor on with the code of `step`, which is spent by that."""
        self.confirmed_at = at
        self.last_used_step = step


class Enrolment(msgspec.Struct, frozen=True, kw_only=True):
    """What a user types or scans into an authenticator app: shown once, at enrolment."""

    secret: str
    uri: str


class SecondFactorStatus(msgspec.Struct, frozen=True, kw_only=True):
    enabled: bool
    enrolment_started: bool
    required: bool
    recovery_codes_left: int


class RecoveryCode(msgspec.Struct, frozen=True, kw_only=True):
    user_id: UserId
    code_hash: str
    created_at: datetime
    used_at: datetime | None = None


def new_recovery_codes() -> list[str]:
    """Ten fresh codes like `7k2m-q9xd-4hpr`, for the user's eyes only."""
    return [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]


def _new_recovery_code() -> str:
    chars = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
    size = _RECOVERY_GROUP_LENGTH
    return "-".join(chars[i : i + size] for i in range(0, _RECOVERY_LENGTH, size))


def recovery_code_hash(text: str) -> str | None:
    """The stored digest of a recovery code as typed (any case, with or without dashes),
    or None when the text cannot be one."""
    code = text.strip().lower().translate(_LOOKALIKES)
    if len(code) != _RECOVERY_LENGTH or any(c not in _RECOVERY_ALPHABET for c in code):
        return None
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def recovery_codes_for(user_id: UserId, codes: list[str], at: datetime) -> list[RecoveryCode]:
    """The rows to store for freshly generated codes: digests only."""
    return [
        RecoveryCode(user_id=user_id, code_hash=digest, created_at=at)
        for code in codes
        if (digest := recovery_code_hash(code)) is not None
    ]
