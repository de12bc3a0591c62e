"""Imports: stream a bookmark file into a user's bookmarks, with a report (SPEC 3.6).

Entries are taken in batches, each committed on its own, so memory stays flat for any file
size (P4) and the event loop gets a turn between batches.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterable, AsyncIterator, Callable, Sequence
from datetime import datetime

import msgspec

from project.domain.model.bookmarks import Bookmark, BookmarkChanges
from project.domain.model.errors import DomainError, InvalidInput, NotFound
from project.domain.model.ids import BookmarkId, ImportJobId, UserId
from project.domain.model.imports import (
    ImportEntry,
    ImportFormat,
    ImportJob,
    ImportMode,
    ImportReport,
    ImportStatus,
    InvalidEntry,
)
from project.domain.model.principal import Principal
from project.domain.services._catalog import CatalogDeps
from project.ports.catalog import CatalogUnitOfWork

BATCH_SIZE = 1000
MAX_FILE_NAME_LENGTH = 200

ProgressCallback = Callable[[ImportReport], None]


class ImportService:
    def __init__(self, deps: CatalogDeps) -> None:
        self._d = deps

    async def run(
        self,
        owner_id: UserId,
        chunks: AsyncIterable[bytes],
        *,
        file_format: ImportFormat = ImportFormat.NETSCAPE,
        mode: ImportMode = ImportMode.SKIP,
        folders_as_tags: bool = False,
        progress: ProgressCallback | None = None,
    ) -> ImportReport:
        """Import every entry of the file for `owner_id`; bad entries are reported, never
        raised. Duplicates (by canonical URL, in the file or already saved) are skipped or
        updated as `mode` says."""
        reader = self._d.readers[file_format]
        report = ImportReport()
        seen: set[bytes] = set()
        batch: list[ImportEntry] = []
        async for item in reader(chunks, folders_as_tags=folders_as_tags):
            if isinstance(item, InvalidEntry):
                report.add_invalid(item)
                continue
            batch.append(item)
            if len(batch) >= BATCH_SIZE:
                await self._import_batch(owner_id, batch, mode, seen, report)
                batch = []
                if progress is not None:
                    progress(report)
                await asyncio.sleep(0)
        if batch:
            await self._import_batch(owner_id, batch, mode, seen, report)
        if progress is not None:
            progress(report)
        return report

    async def _import_batch(
        self,
        owner_id: UserId,
        entries: Sequence[ImportEntry],
        mode: ImportMode,
        seen: set[bytes],
        report: ImportReport,
    ) -> None:
        now = self._d.clock.now()
        fresh: dict[str, tuple[ImportEntry, Bookmark]] = {}
        for entry in entries:
            try:
                bookmark = _bookmark_from(entry, owner_id, BookmarkId(self._d.ids.new_id()), now)
            except InvalidInput as error:
                report.add_invalid(
                    InvalidEntry(position=entry.position, reason=error.detail, url=entry.url[:300])
                )
                continue
            digest = _digest(bookmark.canonical_url)
            if digest in seen:
                report.skipped += 1  # the file names the same link twice: the first wins
                continue
            seen.add(digest)
            fresh[bookmark.canonical_url] = (entry, bookmark)
        async with self._d.uow() as uow:
            # Insert first: a new link costs no lookup, and only the taken ones are read back.
            inserted = await uow.bookmarks.add_many([b for _, b in fresh.values()])
            taken = {url: pair for url, pair in fresh.items() if pair[1].id not in inserted}
            report.created += len(inserted)
            if mode is ImportMode.SKIP:
                report.skipped += len(taken)
            else:
                await self._update_taken(uow, owner_id, taken, now, report)
            await uow.commit()

    async def _update_taken(
        self,
        uow: CatalogUnitOfWork,
        owner_id: UserId,
        taken: dict[str, tuple[ImportEntry, Bookmark]],
        now: datetime,
        report: ImportReport,
    ) -> None:
        existing = await uow.bookmarks.find_by_canonical_urls(owner_id, list(taken))
        for canonical, (entry, _) in taken.items():
            stored = existing.get(canonical)
            expected = stored.version if stored else 0
            if (
                stored is not None
                and stored.apply(_changes_from(entry, stored), now)
                and await uow.bookmarks.update(stored, expected_version=expected)
            ):
                report.updated += 1
            else:
                report.skipped += 1


class ImportJobService:
    """Imports over HTTP: the upload is stored, a job runs it, a status resource reports."""

    def __init__(self, deps: CatalogDeps, imports: ImportService) -> None:
        self._d = deps
        self._imports = imports

    async def submit(
        self,
        actor: Principal,
        chunks: AsyncIterable[bytes],
        *,
        file_name: str,
        file_format: ImportFormat = ImportFormat.NETSCAPE,
        mode: ImportMode = ImportMode.SKIP,
        folders_as_tags: bool = False,
    ) -> ImportJob:
        job = ImportJob(
            id=ImportJobId(self._d.ids.new_id()),
            owner_id=actor.user_id,
            status=ImportStatus.QUEUED,
            file_name=_clean_file_name(file_name),
            mode=mode,
            file_format=file_format,
            folders_as_tags=folders_as_tags,
            created_at=self._d.clock.now(),
        )
        await self._d.blobs.put(
            _upload_key(job.id), chunks, content_type="application/octet-stream"
        )
        async with self._d.uow() as uow:
            await uow.import_jobs.add(job)
            await uow.commit()
        self._d.tasks.spawn(f"import {job.id}", lambda: self.execute(job.id))
        return job

    async def get(self, actor: Principal, job_id: ImportJobId) -> ImportJob:
        async with self._d.uow() as uow:
            job = await uow.import_jobs.get(job_id)
        if job is None or job.owner_id != actor.user_id:
            raise NotFound("No such import.")
        return job

    async def execute(self, job_id: ImportJobId) -> None:
        """Run a queued job to its end; a failure is recorded on the job, never lost."""
        async with self._d.uow() as uow:
            job = await uow.import_jobs.get(job_id)
            if job is None or job.status is not ImportStatus.QUEUED:
                return  # already taken: jobs are idempotent
            job.start()
            await uow.import_jobs.update(job)
            await uow.commit()
        try:
            report = await self._imports.run(
                job.owner_id,
                self._d.blobs.get(_upload_key(job_id)),
                file_format=job.file_format,
                mode=job.mode,
                folders_as_tags=job.folders_as_tags,
            )
        except DomainError as error:
            job.fail(error.detail, self._d.clock.now())
        else:
            job.finish(report, self._d.clock.now())
        async with self._d.uow() as uow:
            await uow.import_jobs.update(job)
            await uow.commit()
        await self._d.blobs.delete(_upload_key(job_id))


def _digest(canonical: str) -> bytes:
    # 16 bytes per link instead of the whole URL: a million-entry file stays small in memory.
    return hashlib.blake2b(canonical.encode(), digest_size=16).digest()


def _upload_key(job_id: ImportJobId) -> str:
    return f"imports/{job_id}"


def _clean_file_name(raw: str) -> str:
    name = "".join(c for c in raw if c.isprintable()).strip()[:MAX_FILE_NAME_LENGTH]
    return name or "upload"


def _bookmark_from(
    entry: ImportEntry, owner_id: UserId, bookmark_id: BookmarkId, now: datetime
) -> Bookmark:
    return Bookmark.create(
        id=bookmark_id,
        owner_id=owner_id,
        url=entry.url,
        at=entry.modified_at or entry.created_at or now,
        title=" ".join(entry.title.split()),
        description=entry.description,
        notes=entry.notes,
        tags=_import_tags(entry.tags),
        unread=entry.unread,
        archived=entry.archived,
        favorite=entry.favorite,
        created_at=entry.created_at or now,
    )


def _changes_from(entry: ImportEntry, stored: Bookmark) -> BookmarkChanges:
    """The file's values win where it has them; tags are merged, never dropped."""
    title = " ".join(entry.title.split())
    return BookmarkChanges(
        title=title or msgspec.UNSET,
        description=entry.description or msgspec.UNSET,
        tags=(*stored.tags, *_import_tags(entry.tags)),
        unread=entry.unread,
        archived=entry.archived,
        favorite=entry.favorite,
    )


def _import_tags(raw: Sequence[str]) -> tuple[str, ...]:
    # Other tools allow spaces inside tags; ours do not, so "read later" becomes "read-later"
    # rather than costing the user the whole bookmark.
    return tuple(joined for tag in raw if (joined := "-".join(tag.split())))


async def aiter_chunks(data: bytes, size: int = 65_536) -> AsyncIterator[bytes]:
    """Bytes already in memory as the chunk stream the services take."""
    for start in range(0, len(data), size):
        yield data[start : start + size]
