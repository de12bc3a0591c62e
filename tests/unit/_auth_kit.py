"""Builds the auth services on in-memory adapters with a controllable clock and ids."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from project.adapters.argon2 import TEST_PARAMETERS, Argon2PasswordHasher
from project.adapters.cryptography import AesGcmSecretSealer
from project.adapters.fs import OutboxMailer
from project.adapters.jwt import JwtAccessTokenCodec
from project.adapters.memory import InMemoryUnitOfWorkFactory
from project.adapters.memory.cache import InMemoryCache
from project.adapters.memory.denylist import InMemorySessionDenylist
from project.adapters.memory.rate_limiter import InMemoryRateLimiter
from project.adapters.pyotp import PyotpOneTimePasswords
from project.domain.model.auth_config import AuthConfig
from project.domain.model.context import Context
from project.domain.model.registration import RegistrationMode
from project.domain.model.second_factor import TotpRequirement
from project.domain.model.throttling import LoginThrottle
from project.domain.services._cached import ReadCache
from project.domain.services._deps import AuthDeps
from project.domain.services.accounts import AccountService
from project.domain.services.administration import AdministrationService
from project.domain.services.api_tokens import ApiTokenService
from project.domain.services.audit_trail import AuditTrailService
from project.domain.services.authentication import AuthenticationService
from project.domain.services.passwords import PasswordService
from project.domain.services.second_factor import SecondFactorService
from project.domain.services.sessions import SessionService
from tests.unit.fakes import FakeClock, SequentialIds

CTX = Context(ip="203.0.113.7", user_agent="pytest")
PASSWORD = "a long enough passphrase 42"


class CountingHasher(Argon2PasswordHasher):
    """The real argon2 adapter (cheap parameters) that counts full verifications."""

    def __init__(self) -> None:
        super().__init__(TEST_PARAMETERS)
        self.verifications = 0

    async def verify(self, password_hash: str, password: str) -> bool:
        self.verifications += 1
        return await super().verify(password_hash, password)

    async def verify_dummy(self, password: str) -> None:
        self.verifications += 1
        await super().verify_dummy(password)


@dataclass
class AuthKit:
    outbox: Path
    registration: RegistrationMode = RegistrationMode.OPEN
    clock: FakeClock = field(default_factory=FakeClock)
    ids: SequentialIds = field(default_factory=SequentialIds)
    hasher: CountingHasher = field(default_factory=CountingHasher)
    throttle: LoginThrottle = field(default_factory=LoginThrottle)
    totp_requirement: TotpRequirement = TotpRequirement.NONE
    # Session checks through an in-process cache (its expiry on the real monotonic clock,
    # so moving the fake clock never expires an entry: only the services' own rules do).
    read_cache: bool = False

    def __post_init__(self) -> None:
        self.uow = InMemoryUnitOfWorkFactory()
        self.cache = ReadCache(InMemoryCache()) if self.read_cache else ReadCache()
        self.denylist = InMemorySessionDenylist(monotonic=self._monotonic)
        self.limiter = InMemoryRateLimiter(monotonic=self._monotonic)
        self.codec = JwtAccessTokenCodec(
            keys={"k1": b"k" * 32},
            active_kid="k1",
            issuer="https://bm.test",
            audience="project-api",
            clock=self.clock,
        )
        self.deps = AuthDeps(
            uow=self.uow,
            hasher=self.hasher,
            codec=self.codec,
            denylist=self.denylist,
            mailer=OutboxMailer(self.outbox, "noreply@bm.test"),
            clock=self.clock,
            ids=self.ids,
            config=AuthConfig(
                registration=self.registration,
                public_url="https://bm.test",
                totp_requirement=self.totp_requirement,
            ),
            limiter=self.limiter,
            otp=PyotpOneTimePasswords(),
            sealer=AesGcmSecretSealer([b"s" * 32]),
            throttle=self.throttle,
            cache=self.cache,
        )
        self.auth = AuthenticationService(self.deps)
        self.sessions = SessionService(self.deps)
        self.passwords = PasswordService(self.deps)
        self.accounts = AccountService(self.deps)
        self.admin = AdministrationService(self.deps)
        self.tokens = ApiTokenService(self.deps)
        self.audit = AuditTrailService(self.deps)
        self.second_factor = SecondFactorService(self.deps)

    def _monotonic(self) -> float:
        return self.clock.now().timestamp()

    def mails(self) -> list[str]:
        return [p.read_text() for p in sorted(self.outbox.glob("*.eml"))]
