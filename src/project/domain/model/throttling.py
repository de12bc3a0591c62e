"""Login throttling (REQUIREMENTS S30): the thresholds and the backoff formula, without I/O.

Each login attempt on an account counts as a failure until it succeeds, and a success clears
the account's counts. The fifth attempt in a run, and every later one let through, locks the
account for the time its failure earns (`lockout_after`): 1 s after the fifth, doubling with
each further one, never more than 15 minutes, so there is no permanent lockout. An attempt
refused by the lock counts too (hammering a locked account lengthens its lock, up to the cap):
that is what lets one atomic hit per key decide, across processes, before the password is
checked. An hourly cap per account and a cap per client address stand behind the backoff.

The keys come from the address as typed, never from the account, so a throttled answer is
the same whether or not the account exists (S3).
"""

from __future__ import annotations

import enum
import hashlib
import ipaddress
from datetime import timedelta

import msgspec

from project.domain.model.errors import InvalidEmail, RateLimited
from project.domain.model.rate_limits import RateLimitDecision
from project.domain.model.users import normalize_email

HOUR = timedelta(hours=1)
# A limit no count reaches: a hit with it counts and reads the count back, never refuses.
COUNT_ONLY = 2**31 - 1
# One IPv6 subscriber gets a whole /64; limiting single addresses in it would limit nothing.
IPV6_PREFIX = 64
_MAX_DOUBLINGS = 63


class ThrottleScope(enum.StrEnum):
    ACCOUNT = "account"
    ADDRESS = "address"


_DETAIL = {
    ThrottleScope.ACCOUNT: "Too many login attempts for this account; try again later.",
    ThrottleScope.ADDRESS: "Too many login attempts from this network address; try again later.",
}


class LoginThrottled(RateLimited):
    """A login refused before its password is checked (HTTP 429 with Retry-After)."""

    def __init__(self, scope: ThrottleScope, *, retry_after_seconds: int) -> None:
        super().__init__(_DETAIL[scope], retry_after_seconds=retry_after_seconds)
        self.scope = scope


def refuse_unless_allowed(decision: RateLimitDecision, scope: ThrottleScope) -> None:
    if not decision.allowed:
        raise LoginThrottled(scope, retry_after_seconds=decision.retry_after_seconds)


class LoginThrottle(msgspec.Struct, frozen=True, kw_only=True):
    free_failures: int = 5
    first_lockout: timedelta = timedelta(seconds=1)
    max_lockout: timedelta = timedelta(minutes=15)
    # How long a run of failures is remembered without a success ending it.
    failure_memory: timedelta = timedelta(days=1)
    account_failures_per_hour: int = 100
    ip_attempts: int = 50
    ip_window: timedelta = timedelta(minutes=15)

    def __post_init__(self) -> None:
        counts = (self.free_failures, self.account_failures_per_hour, self.ip_attempts)
        windows = (self.first_lockout, self.failure_memory, self.ip_window)
        if min(counts) < 1 or min(windows) <= timedelta(0):
            raise ValueError("login throttle counts and durations must be positive")
        if self.max_lockout < self.first_lockout:
            raise ValueError("the longest lockout cannot be shorter than the first")

    def lockout_after(self, failures: int) -> timedelta:
        """How long the account stays locked after `failures` consecutive failed attempts."""
        if failures < self.free_failures:
            return timedelta(0)
        doublings = min(failures - self.free_failures, _MAX_DOUBLINGS)
        seconds = self.first_lockout.total_seconds() * 2**doublings
        return timedelta(seconds=min(seconds, self.max_lockout.total_seconds()))


class AccountKeys(msgspec.Struct, frozen=True, kw_only=True):
    """The limiter keys of one account: its failure run, its lock and its hourly count."""

    failures: str
    lock: str
    hourly: str

    @classmethod
    def of(cls, email: str) -> AccountKeys:
        """Keys for the address as typed; a digest keeps addresses out of the limiter store."""
        try:
            address = normalize_email(email)
        except InvalidEmail:
            address = email.strip().casefold()
        digest = hashlib.sha256(address.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        return cls(
            failures=f"login:failures:{digest}",
            lock=f"login:lock:{digest}",
            hourly=f"login:hourly:{digest}",
        )

    @property
    def all(self) -> tuple[str, str, str]:
        return self.failures, self.lock, self.hourly


def client_bucket(ip: str) -> str:
    """The unit a per-address limit counts: the IPv4 address, or the IPv6 address's /64."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, IPV6_PREFIX), strict=False))
    return str(address)


def ip_key(ip: str) -> str:
    return f"login:ip:{client_bucket(ip)}"
