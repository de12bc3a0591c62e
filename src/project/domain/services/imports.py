"""Imports: stream a bookmark file into a user's bookmarks, with a report (SPEC 3.6).

Entries are taken in batches, each committed on its own, so memory stays flat for any file
size (P4). A batch is written while the next one is read and checked: the database works
(in its own thread for SQLite, its own process for PostgreSQL) while this process parses.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterable, AsyncIterator, Callable, Sequence
from datetime import datetime

import msgspec

from project.domain.model.bookmarks import Bookmark, BookmarkChanges
from project.domain.model.cache_keys import catalog_scope
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

# Entries per transaction. Larger batches mean fewer commits, and on SQLite each commit
# rewrites every index page the batch touched (~4x the write cost at 1000 than at 5000);
# memory holds two batches (one written, one read), a few MiB.
BATCH_SIZE = 5000
# Reading and checking entries holds the event loop, and each statement of the batch being
# written waits for a turn of it, as does everything else on the loop (HTTP requests, when
# the server runs an import job): a turn every so many entries keeps those waits short.
ENTRIES_PER_TURN = 100
MAX_FILE_NAME_LENGTH = 200

ProgressCallback = Callable[[ImportReport], None]
# New bookmarks of one batch by canonical URL, with the entries they came from.
_Fresh = dict[str, tuple[ImportEntry, Bookmark]]


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
        entries = self._d.readers[file_format](chunks, folders_as_tags=folders_as_tags)
        report = ImportReport()
        seen: set[bytes] = set()
        writing: asyncio.Task[None] | None = None
        try:
            async for batch in _batches(entries):
                now = self._d.clock.now()
                fresh = await self._prepare(owner_id, batch, now, seen, report)
                if writing is not None:
                    await writing  # one batch in flight at a time, written in file order
                    if progress is not None:
                        progress(report)
                writing = asyncio.create_task(self._write(owner_id, fresh, now, mode, report))
            if writing is not None:
                await writing
        except BaseException:
            await _settle(writing)
            raise
        if progress is not None:
            progress(report)
        return report

    async def _prepare(
        self,
        owner_id: UserId,
        entries: Sequence[ImportEntry | InvalidEntry],
        now: datetime,
        seen: set[bytes],
        report: ImportReport,
    ) -> _Fresh:
        """The batch's bookmarks, less invalid entries and links seen earlier in the file.

        Invalid entries are reported here, in file order, whether the reader or a rule
        refused them.
        """
        fresh: _Fresh = {}
        for index, entry in enumerate(entries, 1):
            if index % ENTRIES_PER_TURN == 0:
                await asyncio.sleep(0)
            if isinstance(entry, InvalidEntry):
                report.add_invalid(entry)
                continue
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
        return fresh

    async def _write(
        self, owner_id: UserId, fresh: _Fresh, now: datetime, mode: ImportMode, report: ImportReport
    ) -> None:
        if not fresh:
            return  # the batch held only invalid entries and repeats
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
        await self._d.cache.bump(catalog_scope(owner_id))  # each batch shows as it lands

    async def _update_taken(
        self,
        uow: CatalogUnitOfWork,
        owner_id: UserId,
        taken: _Fresh,
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


async def _batches(
    items: AsyncIterable[ImportEntry | InvalidEntry],
) -> AsyncIterator[list[ImportEntry | InvalidEntry]]:
    """The file's entries, valid or not, in batches of BATCH_SIZE."""
    batch: list[ImportEntry | InvalidEntry] = []
    async for item in items:
        batch.append(item)
        if len(batch) % ENTRIES_PER_TURN == 0:
            await asyncio.sleep(0)
        if len(batch) >= BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch


async def _settle(writing: asyncio.Task[None] | None) -> None:
    """Leaving on an error: let the batch in flight end as a whole (as it would have before
    the next one was read) rather than cut a statement off; the error raised is the one to
    report, not this batch's."""
    if writing is None:
        return
    await asyncio.wait([writing])
    if not writing.cancelled():
        writing.exception()  # retrieved, so asyncio does not log it as lost


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
