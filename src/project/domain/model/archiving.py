"""Archiving: what the fetcher brings back, what extraction finds, and the job's state."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

import msgspec

from project.domain.model.ids import BookmarkId, UserId

ARCHIVE_JOB = "archive"  # the queue's job kind
MAX_ATTEMPTS = 5
BASE_BACKOFF = timedelta(seconds=10)
MAX_BACKOFF = timedelta(hours=1)
LEASE = timedelta(minutes=5)


# A bookmark's archive in the blob store: generated keys (S23), rewritten whole on each run.
def snapshot_key(bookmark_id: BookmarkId) -> str:
    return f"snapshots/{bookmark_id}"


def preview_key(bookmark_id: BookmarkId) -> str:
    return f"previews/{bookmark_id}.webp"


def favicon_key(bookmark_id: BookmarkId) -> str:
    return f"favicons/{bookmark_id}.webp"


def archive_keys(bookmark_id: BookmarkId) -> tuple[str, ...]:
    """Every key a bookmark's archive may occupy: what deleting the bookmark removes."""
    return snapshot_key(bookmark_id), preview_key(bookmark_id), favicon_key(bookmark_id)


class FetchedResource(msgspec.Struct, frozen=True, kw_only=True):
    """A response body the fetcher read in full (within its cap)."""

    url: str  # after redirects
    status: int
    media_type: str  # lowercased, without parameters: "text/html"
    charset: str | None
    body: bytes


class PageExtraction(msgspec.Struct, frozen=True, kw_only=True):
    """What a page says about itself, and its readable text."""

    title: str = ""
    description: str = ""
    site_name: str = ""
    language: str = ""
    canonical_url: str | None = None
    favicon_url: str | None = None  # absolute
    preview_image_url: str | None = None  # absolute (og:image, twitter:image)
    text: str = ""
    word_count: int = 0


class ArchiveJobStatus(enum.StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ArchiveJob(msgspec.Struct, kw_only=True):
    """The database's record of one bookmark's archiving: the source of truth (R5).

    A worker takes a job by leasing it; a lease that runs out (a crashed worker) lets the
    sweeper hand it out again. Taking the same job twice is harmless: the work is idempotent.
    """

    bookmark_id: BookmarkId
    owner_id: UserId
    status: ArchiveJobStatus
    attempts: int = 0
    next_attempt_at: datetime
    lease_until: datetime | None = None
    last_error: str | None = None
    updated_at: datetime

    @classmethod
    def new(cls, bookmark_id: BookmarkId, owner_id: UserId, at: datetime) -> ArchiveJob:
        return cls(
            bookmark_id=bookmark_id,
            owner_id=owner_id,
            status=ArchiveJobStatus.PENDING,
            next_attempt_at=at,
            updated_at=at,
        )

    def retry_later(
        self,
        reason: str,
        at: datetime,
        *,
        retry_after_seconds: float | None,
        base_backoff: timedelta = BASE_BACKOFF,
    ) -> bool:
        """Record a transient failure and when to try again: exponential backoff, or later
        if the server asked (Retry-After). False when the attempts are used up (failed)."""
        self.attempts += 1
        self.lease_until = None
        self.updated_at = at
        self.last_error = reason
        if self.attempts >= MAX_ATTEMPTS:
            self.status = ArchiveJobStatus.FAILED
            return False
        backoff = min(base_backoff * 2 ** (self.attempts - 1), MAX_BACKOFF)
        if retry_after_seconds is not None:
            backoff = max(backoff, timedelta(seconds=min(retry_after_seconds, 86_400)))
        self.status = ArchiveJobStatus.PENDING
        self.next_attempt_at = at + backoff
        return True

    def fail(self, reason: str, at: datetime) -> None:
        self.attempts += 1
        self.status = ArchiveJobStatus.FAILED
        self.last_error = reason
        self.lease_until = None
        self.updated_at = at

    def succeed(self, at: datetime) -> None:
        self.status = ArchiveJobStatus.DONE
        self.last_error = None
        self.lease_until = None
        self.updated_at = at

    def restart(self, at: datetime) -> None:
        """Archive again from scratch (on demand, or a retry of a failed job)."""
        self.status = ArchiveJobStatus.PENDING
        self.attempts = 0
        self.last_error = None
        self.lease_until = None
        self.next_attempt_at = at
        self.updated_at = at
