"""Archiving (SPEC 3.7): fetch a bookmark's page, keep a snapshot, its text and images.

The database is the source of truth: `archive_jobs` says what is due, a worker leases a job
before working on it, and a sweep hands due and abandoned jobs back to the queue, so a lost
message or a killed worker loses nothing (R5). Every step is idempotent: keys in the blob
store are derived from the bookmark id and rewritten whole, so a second run overwrites the
first. A bookmark is marked archived only after its snapshot is stored (R4).

Each user may keep a quota of archive bytes (S23). A job checks it before it writes anything
(the page's size as soon as it is fetched, then with the images), so a job refused for the
quota ends failed and leaves no blob behind; archiving a page again replaces its old bytes.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

import msgspec

from project.domain.model.access import Action, authorize
from project.domain.model.archiving import (
    ARCHIVE_JOB,
    BASE_BACKOFF,
    LEASE,
    ArchiveJob,
    ArchiveJobStatus,
    FetchedResource,
    PageExtraction,
    favicon_key,
    preview_key,
    snapshot_key,
)
from project.domain.model.bookmarks import ArchiveStatus, Bookmark, PageMetadata
from project.domain.model.cache_keys import catalog_scope
from project.domain.model.errors import (
    FetchFailed,
    InvalidImage,
    NotFound,
    RateLimited,
    StorageQuotaExceeded,
    StorageUnavailable,
)
from project.domain.model.ids import BookmarkId, UserId
from project.domain.model.principal import Principal
from project.domain.model.storage import UNLIMITED, StorageQuota, StorageUsage
from project.domain.services._cached import ReadCache
from project.domain.services._catalog import bookmark_relation, delete_archives
from project.ports.blobs import BlobStore
from project.ports.cache import RateLimiter
from project.ports.catalog import CatalogUnitOfWork, CatalogUnitOfWorkFactory
from project.ports.fetching import ImageProcessor, PageExtractor, PageFetcher
from project.ports.queue import JobQueue
from project.ports.system import Clock

SNAPSHOT_TYPES = ("text/html", "application/xhtml+xml", "application/pdf", "text/plain")
SIGNED_URL_LIFETIME = timedelta(seconds=120)


@dataclass(frozen=True, slots=True)
class ArchiveConfig:
    submissions_per_hour: int = 60  # S31
    image_max_bytes: int = 5 * 1024 * 1024
    preview_size: tuple[int, int] = (640, 360)
    favicon_size: tuple[int, int] = (64, 64)
    sweep_batch: int = 500
    lease: timedelta = LEASE  # how long a worker holds a job before a sweep may take it back
    base_backoff: timedelta = BASE_BACKOFF
    storage_quota: StorageQuota = UNLIMITED  # per user (S23)


@dataclass(frozen=True, slots=True)
class ArchiveDeps:
    uow: CatalogUnitOfWorkFactory
    clock: Clock
    fetcher: PageFetcher
    extractor: PageExtractor
    images: ImageProcessor
    blobs: BlobStore
    queue: JobQueue
    limiter: RateLimiter
    config: ArchiveConfig
    # Archive state shows in the owners' listings: each change moves their catalog version.
    cache: ReadCache = field(default_factory=ReadCache)


class ArchiveStatusReport(msgspec.Struct, frozen=True, kw_only=True):
    counts: Mapping[ArchiveJobStatus, int]


class _Stored(msgspec.Struct, frozen=True, kw_only=True):
    """What one run made of a page, held in memory until the quota lets it be written."""

    resource: FetchedResource
    extraction: PageExtraction
    preview: bytes | None
    favicon: bytes | None

    @property
    def size(self) -> int:
        return len(self.resource.body) + len(self.preview or b"") + len(self.favicon or b"")


class ArchiveService:
    def __init__(self, deps: ArchiveDeps) -> None:
        self._d = deps

    # --- asking for archiving -------------------------------------------------------------

    async def request(self, actor: Principal, bookmark_id: BookmarkId) -> ArchiveJob:
        """Archive (again) on demand; limited per user (S31)."""
        async with self._d.uow() as uow:
            bookmark = await self._load(uow, actor, bookmark_id, Action.EDIT_BOOKMARK)
        decision = await self._d.limiter.hit(
            f"archive:{actor.user_id}",
            limit=self._d.config.submissions_per_hour,
            window=timedelta(hours=1),
        )
        if not decision.allowed:
            raise RateLimited(
                "Too many archive requests; try again later.",
                retry_after_seconds=decision.retry_after_seconds,
            )
        job = await self.schedule([bookmark])
        return job[0]

    async def schedule(self, bookmarks: Sequence[Bookmark]) -> list[ArchiveJob]:
        """Record a pending job for each bookmark and queue it (creation, imports, retries)."""
        now = self._d.clock.now()
        jobs = []
        async with self._d.uow() as uow:
            for bookmark in bookmarks:
                job = await uow.archive_jobs.get(bookmark.id) or ArchiveJob.new(
                    bookmark.id, bookmark.owner_id, now
                )
                job.restart(now)
                await uow.archive_jobs.save(job)
                await self._set_status(uow, bookmark.id, ArchiveStatus.PENDING, None)
                jobs.append(job)
            await uow.commit()
        await self._d.cache.bump(*(catalog_scope(b.owner_id) for b in bookmarks))
        for job in jobs:
            await self._d.queue.enqueue(ARCHIVE_JOB, str(job.bookmark_id))
        return jobs

    async def retry(
        self, *, owner_id: UserId | None, failed_only: bool = True
    ) -> Sequence[BookmarkId]:
        """Operator retry (`project archive retry`): failed jobs, or every unfinished one."""
        statuses = [ArchiveJobStatus.FAILED]
        if not failed_only:
            statuses += [ArchiveJobStatus.PENDING, ArchiveJobStatus.RUNNING]
        now = self._d.clock.now()
        async with self._d.uow() as uow:
            ids = await uow.archive_jobs.restart(owner_id=owner_id, statuses=statuses, now=now)
            owners = {
                owner
                for bookmark_id in ids
                if (owner := await self._set_status(uow, bookmark_id, ArchiveStatus.PENDING, None))
            }
            await uow.commit()
        await self._d.cache.bump(*(catalog_scope(owner) for owner in owners))
        for bookmark_id in ids:
            await self._d.queue.enqueue(ARCHIVE_JOB, str(bookmark_id))
        return ids

    async def status(self, *, owner_id: UserId | None) -> ArchiveStatusReport:
        async with self._d.uow() as uow:
            return ArchiveStatusReport(counts=await uow.archive_jobs.counts(owner_id))

    async def storage(self, owner_id: UserId) -> StorageUsage:
        """What the owner's archives take, and their quota (S23)."""
        async with self._d.uow() as uow:
            used = await uow.bookmarks.storage_used(owner_id)
        return self._d.config.storage_quota.usage(used)

    async def sweep(self) -> int:
        """Hand due and abandoned jobs to the queue; how many were handed out."""
        async with self._d.uow() as uow:
            due = await uow.archive_jobs.due(
                now=self._d.clock.now(), limit=self._d.config.sweep_batch
            )
        for bookmark_id in due:
            await self._d.queue.enqueue(ARCHIVE_JOB, str(bookmark_id))
        return len(due)

    # --- reading the results ----------------------------------------------------------------

    async def snapshot_url(self, actor: Principal, bookmark_id: BookmarkId) -> str:
        async with self._d.uow() as uow:
            await self._load(uow, actor, bookmark_id, Action.READ)
        return await self._signed(snapshot_key(bookmark_id), "snapshot")

    async def image_url(self, actor: Principal, bookmark_id: BookmarkId, kind: str) -> str:
        async with self._d.uow() as uow:
            bookmark = await self._load(uow, actor, bookmark_id, Action.READ)
        key = bookmark.page.preview_key if kind == "preview" else bookmark.page.favicon_key
        if key is None:
            raise NotFound(f"This bookmark has no {kind} image.")
        return await self._signed(key, kind)

    async def text(self, actor: Principal, bookmark_id: BookmarkId) -> str:
        async with self._d.uow() as uow:
            await self._load(uow, actor, bookmark_id, Action.READ)
            text = await uow.search.page_text(bookmark_id)
        if not text:
            raise NotFound("This bookmark has no archived text yet.")
        return text

    # --- doing the work -----------------------------------------------------------------------

    async def process(self, key: str) -> None:
        """The queue's handler: archive one bookmark if its job is due and not leased."""
        try:
            bookmark_id = BookmarkId(uuid.UUID(key))
        except ValueError:
            return
        now = self._d.clock.now()
        async with self._d.uow() as uow:
            job = await uow.archive_jobs.claim(
                bookmark_id, now=now, lease_until=now + self._d.config.lease
            )
            bookmark = await uow.bookmarks.get(bookmark_id) if job else None
            await uow.commit()
        if job is None or bookmark is None:
            return  # not due, taken by another worker, or the bookmark is gone
        try:
            stored = await self._archive(bookmark)
        except FetchFailed as error:
            await self._failed(
                job, error.detail, permanent=error.permanent, retry=error.retry_after_seconds
            )
        except StorageQuotaExceeded as error:
            await self._failed(job, error.detail, permanent=True, retry=None)
        except StorageUnavailable as error:
            await self._failed(job, error.detail, permanent=False, retry=None)
        else:
            await self._succeeded(job, stored)

    async def _archive(self, bookmark: Bookmark) -> _Stored:
        """Fetch the page and its images, check the quota, then write; raises before any
        write when the quota refuses."""
        resource = await self._d.fetcher.fetch(
            bookmark.url,
            owner_id=bookmark.owner_id,
            accept="text/html,application/xhtml+xml,application/pdf;q=0.9,*/*;q=0.5",
        )
        if resource.media_type not in SNAPSHOT_TYPES:
            raise FetchFailed(
                f"Unsupported content type {resource.media_type or 'unknown'}.", permanent=True
            )
        quota = self._d.config.storage_quota
        used = await self._used(bookmark.owner_id)
        quota.admit(used=used, replacing=bookmark.archive_bytes, adding=len(resource.body))
        extraction = await self._d.extractor.extract(resource)
        stored = _Stored(
            resource=resource,
            extraction=extraction,
            preview=await self._image(
                bookmark, extraction.preview_image_url, self._d.config.preview_size
            ),
            favicon=await self._image(
                bookmark, extraction.favicon_url, self._d.config.favicon_size
            ),
        )
        quota.admit(used=used, replacing=bookmark.archive_bytes, adding=stored.size)
        await self._write(bookmark.id, stored)
        return stored

    async def _used(self, owner_id: UserId) -> int:
        if self._d.config.storage_quota.unlimited:
            return 0  # nothing to check against: spare the query
        async with self._d.uow() as uow:
            return await uow.bookmarks.storage_used(owner_id)

    async def _write(self, bookmark_id: BookmarkId, stored: _Stored) -> None:
        resource = stored.resource
        content_type = resource.media_type + (
            f"; charset={resource.charset}" if resource.charset else ""
        )
        await self._d.blobs.put(
            snapshot_key(bookmark_id), _once(resource.body), content_type=content_type
        )
        for key, image in (
            (preview_key(bookmark_id), stored.preview),
            (favicon_key(bookmark_id), stored.favicon),
        ):
            if image is None:
                await self._d.blobs.delete(key)  # an earlier run's, no longer counted
            else:
                await self._d.blobs.put(key, _once(image), content_type="image/webp")

    async def _image(
        self, bookmark: Bookmark, url: str | None, size: tuple[int, int]
    ) -> bytes | None:
        """Fetch, verify and re-encode an image; a bad or missing one is simply left out."""
        if not url:
            return None
        try:
            resource = await self._d.fetcher.fetch(
                url,
                owner_id=bookmark.owner_id,
                accept="image/*",
                max_bytes=self._d.config.image_max_bytes,
            )
            webp = await self._d.images.thumbnail(
                resource.body, max_width=size[0], max_height=size[1]
            )
        except (FetchFailed, InvalidImage):
            return None
        return webp

    async def _succeeded(self, job: ArchiveJob, stored: _Stored) -> None:
        async with self._d.uow() as uow:
            bookmark = await uow.bookmarks.get(job.bookmark_id)
            if bookmark is not None:
                await self._record(uow, job, bookmark, stored)
        if bookmark is None:  # deleted while we worked: what we wrote belongs to nobody
            await delete_archives(self._d.blobs, [job.bookmark_id])
        else:
            await self._d.cache.bump(catalog_scope(bookmark.owner_id))

    async def _record(
        self, uow: CatalogUnitOfWork, job: ArchiveJob, bookmark: Bookmark, stored: _Stored
    ) -> None:
        now = self._d.clock.now()
        expected = bookmark.version
        bookmark.record_page(_page(bookmark.id, stored), now, stored_bytes=stored.size)
        bookmark.archive_status, bookmark.archive_error = ArchiveStatus.ARCHIVED, None
        if not await uow.bookmarks.update(bookmark, expected_version=expected):
            return  # edited meanwhile: the lease runs out and a sweep does it again
        await uow.search.index_page_text(bookmark.id, stored.extraction.text)
        job.succeed(now)
        await uow.archive_jobs.save(job)
        await uow.commit()

    async def _failed(
        self, job: ArchiveJob, reason: str, *, permanent: bool, retry: float | None
    ) -> None:
        now = self._d.clock.now()
        if permanent:
            job.fail(reason, now)
            again = False
        else:
            again = job.retry_later(
                reason, now, retry_after_seconds=retry, base_backoff=self._d.config.base_backoff
            )
        owner = None
        async with self._d.uow() as uow:
            await uow.archive_jobs.save(job)
            if not again:
                owner = await self._set_status(uow, job.bookmark_id, ArchiveStatus.FAILED, reason)
            await uow.commit()
        if owner is not None:
            await self._d.cache.bump(catalog_scope(owner))
        if again:
            await self._d.queue.enqueue(
                ARCHIVE_JOB, str(job.bookmark_id), delay=job.next_attempt_at - now
            )

    async def _set_status(
        self,
        uow: CatalogUnitOfWork,
        bookmark_id: BookmarkId,
        status: ArchiveStatus,
        error: str | None,
    ) -> UserId | None:
        """Record the bookmark's archive state; its owner when that changed (their listings
        show it), else None."""
        bookmark = await uow.bookmarks.get(bookmark_id)
        if bookmark is None:
            return None
        expected = bookmark.version
        if bookmark.mark_archive(status, error, self._d.clock.now()):
            await uow.bookmarks.update(bookmark, expected_version=expected)
            return bookmark.owner_id
        return None

    async def _load(
        self, uow: CatalogUnitOfWork, actor: Principal, bookmark_id: BookmarkId, action: Action
    ) -> Bookmark:
        bookmark = await uow.bookmarks.get(bookmark_id)
        if bookmark is None:
            raise NotFound("No such bookmark.")
        authorize(await bookmark_relation(uow, actor.user_id, bookmark), action, what="bookmark")
        return bookmark

    async def _signed(self, key: str, what: str) -> str:
        info = await self._d.blobs.head(key)
        if info is None:
            raise NotFound(f"This bookmark has no {what} yet.")
        extension = {"image/webp": ".webp", "application/pdf": ".pdf"}.get(
            info.content_type.split(";")[0], ".html"
        )
        return await self._d.blobs.signed_url(
            key,
            content_type=info.content_type or "application/octet-stream",
            disposition=f'inline; filename="{what}{extension}"',
            expires_in=SIGNED_URL_LIFETIME,
        )


def _page(bookmark_id: BookmarkId, stored: _Stored) -> PageMetadata:
    extraction = stored.extraction
    return PageMetadata(
        title=extraction.title,
        description=extraction.description,
        site_name=extraction.site_name,
        language=extraction.language,
        favicon_key=favicon_key(bookmark_id) if stored.favicon is not None else None,
        preview_key=preview_key(bookmark_id) if stored.preview is not None else None,
        word_count=extraction.word_count,
    )


async def _once(data: bytes) -> AsyncIterator[bytes]:
    yield data
