"""The one place that chooses concrete adapters, driven by Settings (dependency-injector)."""

from __future__ import annotations

from dependency_injector import containers, providers

from project.adapters.argon2 import Argon2PasswordHasher
from project.adapters.fs import OutboxMailer
from project.adapters.jwt import JwtAccessTokenCodec
from project.adapters.memory.denylist import InMemorySessionDenylist
from project.adapters.smtp import SmtpMailer
from project.adapters.sql import SqlUnitOfWorkFactory, create_engine
from project.adapters.system import SystemClock, Uuid7Generator
from project.domain.services._deps import AuthDeps
from project.domain.services.accounts import AccountService
from project.domain.services.administration import AdministrationService
from project.domain.services.api_tokens import ApiTokenService
from project.domain.services.audit_trail import AuditTrailService
from project.domain.services.authentication import AuthenticationService
from project.domain.services.passwords import PasswordService
from project.domain.services.sessions import SessionService
from project.entrypoints.settings import Settings
from project.ports.system import Clock


def _mail_backend(settings: Settings) -> str:
    return "smtp" if settings.smtp_host else "outbox"


def _jwt_codec(settings: Settings, clock: Clock) -> JwtAccessTokenCodec:
    active, keys = settings.jwt_keys()
    return JwtAccessTokenCodec(
        keys=keys,
        active_kid=active,
        issuer=settings.public_url.rstrip("/"),
        audience=settings.jwt_audience,
        clock=clock,
    )


class Container(containers.DeclarativeContainer):
    """Build with `Container(settings=...)`; call `await close_container(c)` when done."""

    settings = providers.Dependency(instance_of=Settings)

    engine = providers.Singleton(create_engine, settings.provided.resolved_database_url)
    uow = providers.Singleton(SqlUnitOfWorkFactory, engine)
    clock = providers.Singleton(SystemClock)
    ids = providers.Singleton(Uuid7Generator)
    hasher = providers.Singleton(Argon2PasswordHasher)
    codec = providers.Singleton(_jwt_codec, settings, clock)
    denylist = providers.Singleton(InMemorySessionDenylist)
    mailer = providers.Selector(
        providers.Callable(_mail_backend, settings),
        smtp=providers.Singleton(
            SmtpMailer,
            host=settings.provided.smtp_host,
            port=settings.provided.smtp_port,
            username=settings.provided.smtp_username,
            password=settings.provided.smtp_password,
            starttls=settings.provided.smtp_starttls,
            use_tls=settings.provided.smtp_tls,
            sender=settings.provided.mail_from,
        ),
        outbox=providers.Singleton(
            OutboxMailer, directory=settings.provided.outbox_dir, sender=settings.provided.mail_from
        ),
    )
    auth_config = providers.Singleton(Settings.auth_config, settings)

    deps = providers.Singleton(
        AuthDeps,
        uow=uow,
        hasher=hasher,
        codec=codec,
        denylist=denylist,
        mailer=mailer,
        clock=clock,
        ids=ids,
        config=auth_config,
    )
    authentication = providers.Singleton(AuthenticationService, deps)
    sessions = providers.Singleton(SessionService, deps)
    passwords = providers.Singleton(PasswordService, deps)
    accounts = providers.Singleton(AccountService, deps)
    administration = providers.Singleton(AdministrationService, deps)
    api_tokens = providers.Singleton(ApiTokenService, deps)
    audit = providers.Singleton(AuditTrailService, deps)


async def close_container(container: Container) -> None:
    """Release what the container opened (the database pool)."""
    await container.engine().dispose()  # cheap when the engine never connected
