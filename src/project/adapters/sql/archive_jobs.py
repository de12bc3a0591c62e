"""Archive jobs in `archive_jobs`: leases taken with one conditional UPDATE (R5)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from project.adapters.sql._dialect import upsert
from project.adapters.sql.catalog_tables import archive_jobs
from project.domain.model.archiving import ArchiveJob, ArchiveJobStatus
from project.domain.model.ids import BookmarkId, UserId

_t = archive_jobs.c


class SqlArchiveJobRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def get(self, bookmark_id: BookmarkId) -> ArchiveJob | None:
        row = (
            await self._conn.execute(select(archive_jobs).where(_t.bookmark_id == bookmark_id))
        ).first()
        return None if row is None else _to_job(row)

    async def save(self, job: ArchiveJob) -> None:
        values = _values(job)
        overwrite = [name for name in values if name != "bookmark_id"]
        statement = upsert(
            archive_jobs, self._conn.dialect.name, [_t.bookmark_id], values, overwrite=overwrite
        )
        await self._conn.execute(statement)

    async def claim(
        self, bookmark_id: BookmarkId, *, now: datetime, lease_until: datetime
    ) -> ArchiveJob | None:
        statement = (
            update(archive_jobs)
            .where(_t.bookmark_id == bookmark_id, _is_due(now))
            .values(status=ArchiveJobStatus.RUNNING.value, lease_until=lease_until, updated_at=now)
            .returning(*archive_jobs.c)
        )
        row = (await self._conn.execute(statement)).first()
        return None if row is None else _to_job(row)

    async def due(self, *, now: datetime, limit: int) -> Sequence[BookmarkId]:
        statement = (
            select(_t.bookmark_id).where(_is_due(now)).order_by(_t.next_attempt_at).limit(limit)
        )
        return [BookmarkId(row.bookmark_id) for row in await self._conn.execute(statement)]

    async def counts(self, owner_id: UserId | None) -> Mapping[ArchiveJobStatus, int]:
        statement = select(_t.status, func.count()).group_by(_t.status)
        if owner_id is not None:
            statement = statement.where(_t.owner_id == owner_id)
        found = {
            ArchiveJobStatus(status): count for status, count in await self._conn.execute(statement)
        }
        return {status: found.get(status, 0) for status in ArchiveJobStatus}

    async def restart(
        self, *, owner_id: UserId | None, statuses: Sequence[ArchiveJobStatus], now: datetime
    ) -> Sequence[BookmarkId]:
        conditions: list[ColumnElement[bool]] = [_t.status.in_([s.value for s in statuses])]
        if owner_id is not None:
            conditions.append(_t.owner_id == owner_id)
        statement = (
            update(archive_jobs)
            .where(*conditions)
            .values(
                status=ArchiveJobStatus.PENDING.value,
                attempts=0,
                next_attempt_at=now,
                lease_until=None,
                last_error=None,
                updated_at=now,
            )
            .returning(_t.bookmark_id)
        )
        return [BookmarkId(row.bookmark_id) for row in await self._conn.execute(statement)]


def _is_due(now: datetime) -> Any:
    return or_(
        and_(_t.status == ArchiveJobStatus.PENDING.value, _t.next_attempt_at <= now),
        and_(_t.status == ArchiveJobStatus.RUNNING.value, _t.lease_until < now),
    )


def _values(job: ArchiveJob) -> dict[str, Any]:
    return {
        "bookmark_id": job.bookmark_id,
        "owner_id": job.owner_id,
        "status": job.status.value,
        "attempts": job.attempts,
        "next_attempt_at": job.next_attempt_at,
        "lease_until": job.lease_until,
        "last_error": job.last_error,
        "updated_at": job.updated_at,
    }


def _to_job(row: Row[Any]) -> ArchiveJob:
    return ArchiveJob(
        bookmark_id=BookmarkId(row.bookmark_id),
        owner_id=UserId(row.owner_id),
        status=ArchiveJobStatus(row.status),
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        lease_until=row.lease_until,
        last_error=row.last_error,
        updated_at=row.updated_at,
    )
