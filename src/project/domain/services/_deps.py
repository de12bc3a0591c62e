"""The ports every auth use case shares, bundled so service constructors stay short."""

from __future__ import annotations

from dataclasses import dataclass

from project.domain.model.auth_config import AuthConfig
from project.ports.mail import Mailer
from project.ports.repositories import UnitOfWorkFactory
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
