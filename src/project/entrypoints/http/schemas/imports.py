"""Imports on the wire (/api/v1/imports): the multipart upload and the job's status."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from litestar.datastructures import UploadFile

from project.domain.model.imports import (
    ImportFormat,
    ImportJob,
    ImportMode,
    ImportReport,
    ImportStatus,
)
from project.entrypoints.http.schemas._base import InBody, OutBody


class ImportUpload(InBody):
    """`multipart/form-data`: the bookmark file and how to read it."""

    file: UploadFile
    format: ImportFormat = ImportFormat.NETSCAPE
    mode: ImportMode = ImportMode.SKIP
    """What to do with a link already saved: keep it as it is, or update it from the file."""
    folders_as_tags: bool = False


class InvalidEntryOut(OutBody):
    position: int
    """1-based position of the entry in the file."""
    reason: str
    url: str


class ImportReportOut(OutBody):
    created: int
    updated: int
    skipped: int
    invalid_count: int
    invalid: list[InvalidEntryOut]
    """The first invalid entries (the count is exact, the list bounded)."""

    @classmethod
    def of(cls, report: ImportReport) -> ImportReportOut:
        return cls(
            created=report.created,
            updated=report.updated,
            skipped=report.skipped,
            invalid_count=report.invalid_count,
            invalid=[
                InvalidEntryOut(position=e.position, reason=e.reason, url=e.url)
                for e in report.invalid
            ],
        )


class ImportJobOut(OutBody):
    id: UUID
    status: ImportStatus
    file_name: str
    created_at: datetime
    finished_at: datetime | None
    report: ImportReportOut
    error: str | None
    """Why the job failed, when it did."""

    @classmethod
    def of(cls, job: ImportJob) -> ImportJobOut:
        return cls(
            id=job.id,
            status=job.status,
            file_name=job.file_name,
            created_at=job.created_at,
            finished_at=job.finished_at,
            report=ImportReportOut.of(job.report),
            error=job.error,
        )
