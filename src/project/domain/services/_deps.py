"""The ports every auth use case shares, bundled so service constructors stay short."""

from __future__ import annotations

from dataclasses import dataclass, field

from project.domain.model.auth_config import AuthConfig
from project.domain.model.throttling import LoginThrottle
from project.domain.services._cached import ReadCache
from project.ports.cache import RateLimiter
from project.ports.mail import Mailer
from project.ports.repositories import UnitOfWorkFactory
from project.ports.second_factor import OneTimePasswords, SecretSealer
from project.ports.security import AccessTokenCodec, PasswordHasher, SessionDenylist
from project.ports.system import Clock, IdGenerator


@dataclass(frozen=True, slots=True)
class AuthDeps:
    uow: UnitOfWorkFactory
    hasher: PasswordHasher
    codec: AccessTokenCodec
    denylist: SessionDenylist
    mailer: Mailer
    clock: Clock
    ids: IdGenerator
    config: AuthConfig
    # Login throttling (S30): counts shared by every process when the limiter is on Redis.
    limiter: RateLimiter
    # The second factor (S7): TOTP arithmetic, and the cipher its secrets are stored under.
    otp: OneTimePasswords
    sealer: SecretSealer
    throttle: LoginThrottle = field(default_factory=LoginThrottle)
    # Session checks, cached per session and versioned per account (off: no cache).
    cache: ReadCache = field(default_factory=ReadCache)
