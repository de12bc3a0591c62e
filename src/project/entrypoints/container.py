"""The one place that chooses concrete adapters, driven by Settings (dependency-injector)."""

from __future__ import annotations

from datetime import timedelta

from dependency_injector import containers, providers

from project.adapters.argon2 import Argon2PasswordHasher
from project.adapters.cryptography import AesGcmSecretSealer
from project.adapters.fs import OutboxMailer
from project.adapters.fs.blob_store import LocalDirectoryBlobStore
from project.adapters.jwt import JwtAccessTokenCodec
from project.adapters.memory.cache import InMemoryCache
from project.adapters.memory.denylist import InMemorySessionDenylist
from project.adapters.memory.rate_limiter import InMemoryRateLimiter
from project.adapters.memory.tasks import InProcessTasks
from project.adapters.pyotp import PyotpOneTimePasswords
from project.adapters.redis import (
    RedisCache,
    RedisRateLimiter,
    RedisSessionDenylist,
    create_redis,
)
from project.adapters.smtp import SmtpMailer
from project.adapters.sql import SqlUnitOfWorkFactory, create_engine
from project.adapters.system import SystemClock, Uuid7Generator
from project.domain.model.storage import MIB, StorageQuota
from project.domain.model.throttling import LoginThrottle
from project.domain.services._cached import ReadCache
from project.domain.services._catalog import CatalogDeps
from project.domain.services._deps import AuthDeps
from project.domain.services.accounts import AccountService
from project.domain.services.administration import AdministrationService
from project.domain.services.api_tokens import ApiTokenService
from project.domain.services.archiving import ArchiveConfig, ArchiveDeps, ArchiveService
from project.domain.services.audit_trail import AuditTrailService
from project.domain.services.authentication import AuthenticationService
from project.domain.services.bookmarks import BookmarkService
from project.domain.services.collections import CollectionService
from project.domain.services.exports import ExportService
from project.domain.services.imports import ImportJobService, ImportService
from project.domain.services.passwords import PasswordService
from project.domain.services.search import SearchService
from project.domain.services.second_factor import SecondFactorService
from project.domain.services.sessions import SessionService
from project.domain.services.smart_lists import SmartListService
from project.domain.services.tags import TagService
from project.entrypoints.formats import file_readers, file_writers
from project.entrypoints.settings import Settings
from project.ports.blobs import BlobStore
from project.ports.cache import Cache
from project.ports.fetching import ImageProcessor, PageExtractor, PageFetcher
from project.ports.queue import JobQueue, JobWorker
from project.ports.system import Clock


def _mail_backend(settings: Settings) -> str:
    return "smtp" if settings.smtp_host else "outbox"


def _redis_or_memory(settings: Settings) -> str:
    return "redis" if settings.uses_redis else "memory"


def _read_cache(settings: Settings, cache: Cache) -> ReadCache:
    return ReadCache(cache if settings.uses_read_cache else None)


def _blob_backend(settings: Settings) -> str:
    return "s3" if settings.uses_s3 else "directory"


def _s3_store(settings: Settings) -> BlobStore:
    # Imported only when S3 is configured; the app serves the files itself (S24).
    from project.entrypoints.served_blobs import AppServedS3BlobStore

    return AppServedS3BlobStore(
        signing_key=settings.blob_signing_key(),
        base_url=settings.files_url,
        bucket=settings.s3_bucket,
        endpoint_url=settings.s3_endpoint_url,
        region=settings.s3_region,
    )


def _queue_backend(settings: Settings) -> str:
    return "saq" if settings.uses_redis else "memory"


QUEUE_NAME = "archive"


def _in_process_queue() -> JobQueue:
    from project.adapters.memory.queue import InProcessJobQueue

    return InProcessJobQueue()


def _saq_queue(settings: Settings) -> JobQueue:
    from project.adapters.saq import SaqJobQueue  # only when Redis is configured

    assert settings.redis_url is not None
    return SaqJobQueue(settings.redis_url, name=f"{settings.redis_prefix}{QUEUE_NAME}")


def _saq_worker(settings: Settings) -> JobWorker:
    from project.adapters.saq import SaqJobWorker

    assert settings.redis_url is not None
    return SaqJobWorker(settings.redis_url, name=f"{settings.redis_prefix}{QUEUE_NAME}")


def _fetcher(settings: Settings) -> PageFetcher:
    from project.adapters.httpx import HttpxPageFetcher

    return HttpxPageFetcher(
        allowed_networks=settings.allowed_networks(),
        allowed_ports=frozenset(settings.fetch_allowed_ports),
        max_bytes=settings.fetch_max_mib * 1024 * 1024,
    )


def _extractor() -> PageExtractor:
    from project.adapters.extraction import HtmlPdfExtractor

    return HtmlPdfExtractor()


def _images() -> ImageProcessor:
    from project.adapters.pillow import PillowImageProcessor

    return PillowImageProcessor()


def _archive_config(settings: Settings) -> ArchiveConfig:
    return ArchiveConfig(
        submissions_per_hour=settings.archive_per_hour,
        lease=timedelta(seconds=settings.archive_lease_seconds),
        base_backoff=timedelta(seconds=settings.archive_retry_base_seconds),
        storage_quota=StorageQuota(settings.storage_quota_mib * MIB or None),
    )


def _jwt_codec(settings: Settings, clock: Clock) -> JwtAccessTokenCodec:
    active, keys = settings.jwt_keys()
    return JwtAccessTokenCodec(
        keys=keys,
        active_kid=active,
        issuer=settings.public_url.rstrip("/"),
        audience=settings.jwt_audience,
        clock=clock,
    )


def _sealer(settings: Settings) -> AesGcmSecretSealer:
    """Seals with a key from PROJECT_SECRET_KEY; still opens what older keys sealed."""
    assert settings.secret_key is not None, "call Settings.resolve() first"
    return AesGcmSecretSealer.from_secrets([settings.secret_key, *settings.previous_secret_keys])


class Container(containers.DeclarativeContainer):
    """Build with `Container(settings=...)`; call `await close_container(c)` when done."""

    settings = providers.Dependency(instance_of=Settings)

    engine = providers.Singleton(create_engine, settings.provided.resolved_database_url)
    uow = providers.Singleton(SqlUnitOfWorkFactory, engine)
    clock = providers.Singleton(SystemClock)
    ids = providers.Singleton(Uuid7Generator)
    hasher = providers.Singleton(Argon2PasswordHasher)
    codec = providers.Singleton(_jwt_codec, settings, clock)
    redis = providers.Singleton(create_redis, settings.provided.redis_url)
    denylist = providers.Selector(
        providers.Callable(_redis_or_memory, settings),
        redis=providers.Singleton(
            RedisSessionDenylist,
            redis,
            prefix=settings.provided.redis_prefix,
            fail_closed=settings.provided.denylist_fails_closed,
        ),
        memory=providers.Singleton(InMemorySessionDenylist),
    )
    cache = providers.Selector(
        providers.Callable(_redis_or_memory, settings),
        redis=providers.Singleton(RedisCache, redis, prefix=settings.provided.redis_prefix),
        memory=providers.Singleton(InMemoryCache, max_entries=settings.provided.cache_max_entries),
    )
    read_cache = providers.Singleton(_read_cache, settings, cache)
    rate_limiter = providers.Selector(
        providers.Callable(_redis_or_memory, settings),
        redis=providers.Singleton(RedisRateLimiter, redis, prefix=settings.provided.redis_prefix),
        memory=providers.Singleton(InMemoryRateLimiter),
    )
    blobs = providers.Selector(
        providers.Callable(_blob_backend, settings),
        s3=providers.Singleton(_s3_store, settings),
        directory=providers.Singleton(
            LocalDirectoryBlobStore,
            settings.provided.blob_dir,
            signing_key=providers.Callable(Settings.blob_signing_key, settings),
            base_url=settings.provided.files_url,
        ),
    )
    tasks = providers.Singleton(InProcessTasks)
    queue = providers.Selector(
        providers.Callable(_queue_backend, settings),
        saq=providers.Singleton(_saq_queue, settings),
        memory=providers.Singleton(_in_process_queue),
    )
    # In process the queue is its own worker; on Redis a separate object consumes it.
    worker = providers.Selector(
        providers.Callable(_queue_backend, settings),
        saq=providers.Singleton(_saq_worker, settings),
        memory=queue,
    )
    fetcher = providers.Singleton(_fetcher, settings)
    extractor = providers.Singleton(_extractor)
    images = providers.Singleton(_images)
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
        limiter=rate_limiter,
        otp=providers.Singleton(PyotpOneTimePasswords),
        sealer=providers.Singleton(_sealer, settings),
        throttle=providers.Singleton(
            LoginThrottle,
            account_failures_per_hour=settings.provided.login_account_failures_per_hour,
            ip_attempts=settings.provided.login_ip_attempts,
            ip_window=providers.Callable(
                timedelta, minutes=settings.provided.login_ip_window_minutes
            ),
        ),
        cache=read_cache,
    )
    authentication = providers.Singleton(AuthenticationService, deps)
    sessions = providers.Singleton(SessionService, deps)
    passwords = providers.Singleton(PasswordService, deps)
    accounts = providers.Singleton(AccountService, deps)
    administration = providers.Singleton(AdministrationService, deps)
    api_tokens = providers.Singleton(ApiTokenService, deps)
    audit = providers.Singleton(AuditTrailService, deps)
    second_factor = providers.Singleton(SecondFactorService, deps)

    catalog = providers.Singleton(
        CatalogDeps,
        uow=uow,
        clock=clock,
        ids=ids,
        blobs=blobs,
        tasks=tasks,
        readers=providers.Callable(file_readers),
        writers=providers.Callable(file_writers),
        queue=queue,
        archive_on_save=settings.provided.archive_on_save,
        cache=read_cache,
    )
    bookmarks = providers.Singleton(BookmarkService, catalog)
    search = providers.Singleton(SearchService, catalog)
    tags = providers.Singleton(TagService, catalog)
    collections = providers.Singleton(CollectionService, catalog)
    smart_lists = providers.Singleton(SmartListService, catalog, search)
    imports = providers.Singleton(ImportService, catalog)
    import_jobs = providers.Singleton(ImportJobService, catalog, imports)
    exports = providers.Singleton(ExportService, catalog)
    archive = providers.Singleton(
        ArchiveService,
        providers.Singleton(
            ArchiveDeps,
            uow=uow,
            clock=clock,
            fetcher=fetcher,
            extractor=extractor,
            images=images,
            blobs=blobs,
            queue=queue,
            limiter=rate_limiter,
            config=providers.Callable(_archive_config, settings),
            cache=read_cache,
        ),
    )


async def close_container(container: Container) -> None:
    """Finish background work, then release what the container opened (pools, clients)."""
    await container.tasks().drain()
    settings = container.settings()
    # Each is cheap to build if it never was; in process the worker is the queue itself.
    closing = {
        id(part): part for part in (container.worker(), container.queue(), container.fetcher())
    }
    for part in closing.values():
        await part.aclose()
    if settings.uses_s3:
        await container.blobs().aclose()
    if settings.uses_redis:
        await container.redis().aclose()
    await container.engine().dispose()  # cheap when the engine never connected
