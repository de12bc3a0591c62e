"""Import jobs in `import_jobs`; the report is a JSON document."""

from __future__ import annotations

from typing import Any

import msgspec
from sqlalchemy import Row, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from project.adapters.sql.catalog_tables import import_jobs
from project.domain.model.ids import ImportJobId, UserId
from project.domain.model.imports import (
    ImportFormat,
    ImportJob,
    ImportMode,
    ImportReport,
    ImportStatus,
)


class SqlImportJobRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def get(self, job_id: ImportJobId) -> ImportJob | None:
        statement = select(import_jobs).where(import_jobs.c.id == job_id)
        row = (await self._conn.execute(statement)).first()
        return None if row is None else _to_job(row)

    async def add(self, job: ImportJob) -> None:
        await self._conn.execute(insert(import_jobs).values(_values(job)))

    async def update(self, job: ImportJob) -> None:
        statement = update(import_jobs).where(import_jobs.c.id == job.id)
        await self._conn.execute(statement.values(_values(job)))


def _values(job: ImportJob) -> dict[str, Any]:
    return {
        "id": job.id,
        "owner_id": job.owner_id,
        "status": job.status.value,
        "file_name": job.file_name,
        "mode": job.mode.value,
        "file_format": job.file_format.value,
        "folders_as_tags": job.folders_as_tags,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "report": msgspec.to_builtins(job.report),
        "error": job.error,
    }


def _to_job(row: Row[Any]) -> ImportJob:
    return ImportJob(
        id=ImportJobId(row.id),
        owner_id=UserId(row.owner_id),
        status=ImportStatus(row.status),
        file_name=row.file_name,
        mode=ImportMode(row.mode),
        file_format=ImportFormat(row.file_format),
        folders_as_tags=row.folders_as_tags,
        created_at=row.created_at,
        finished_at=row.finished_at,
        report=msgspec.convert(row.report, ImportReport),
        error=row.error,
    )
