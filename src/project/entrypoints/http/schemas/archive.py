"""Archiving on the wire: a job's state and a page's readable text."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from project.domain.model.archiving import ArchiveJob, ArchiveJobStatus
from project.entrypoints.http.schemas._base import OutBody


class ArchiveJobOut(OutBody):
    bookmark_id: UUID
    status: ArchiveJobStatus
    attempts: int
    next_attempt_at: datetime
    last_error: str | None

    @classmethod
    def of(cls, job: ArchiveJob) -> ArchiveJobOut:
        return cls(
            bookmark_id=job.bookmark_id,
            status=job.status,
            attempts=job.attempts,
            next_attempt_at=job.next_attempt_at,
            last_error=job.last_error,
        )


class PageTextOut(OutBody):
    bookmark_id: UUID
    text: str
