"""Import and export: entries read from a bookmark file, the report, and the import job."""

from __future__ import annotations

import enum
from datetime import datetime

import msgspec

from project.domain.model.ids import ImportJobId, UserId

MAX_INVALID_REPORTED = 1000


class ImportEntry(msgspec.Struct, frozen=True, kw_only=True):
    """One bookmark as a file describes it, before any rule is applied.

    Values are raw: the import service validates the URL and tags and reports what fails.
    """

    url: str
    title: str = ""
    description: str = ""
    notes: str = ""
    tags: tuple[str, ...] = ()
    created_at: datetime | None = None
    modified_at: datetime | None = None
    unread: bool = False
    archived: bool = False
    favorite: bool = False
    private: bool = True
    # Where the entry sits in the file: its 1-based position, for the report.
    position: int = 0


class InvalidEntry(msgspec.Struct, frozen=True, kw_only=True):
    position: int
    reason: str
    url: str = ""


class ImportReport(msgspec.Struct, kw_only=True):
    created: int = 0
    updated: int = 0
    skipped: int = 0
    invalid: list[InvalidEntry] = msgspec.field(default_factory=list)
    invalid_count: int = 0

    @property
    def processed(self) -> int:
        return self.created + self.updated + self.skipped + self.invalid_count

    def add_invalid(self, entry: InvalidEntry) -> None:
        # Keep the count exact but the list bounded: a garbage file must not fill memory.
        self.invalid_count += 1
        if len(self.invalid) < MAX_INVALID_REPORTED:
            self.invalid.append(entry)


class ImportMode(enum.StrEnum):
    """What to do with an entry whose canonical URL the user already saved."""

    SKIP = "skip"
    UPDATE = "update"


class ImportFormat(enum.StrEnum):
    NETSCAPE = "netscape"
    JSONL = "jsonl"


class ImportStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ImportJob(msgspec.Struct, kw_only=True):
    id: ImportJobId
    owner_id: UserId
    status: ImportStatus
    file_name: str
    mode: ImportMode
    file_format: ImportFormat
    folders_as_tags: bool
    created_at: datetime
    finished_at: datetime | None = None
    report: ImportReport = msgspec.field(default_factory=ImportReport)
    error: str | None = None

    def start(self) -> None:
        self.status = ImportStatus.RUNNING

    def finish(self, report: ImportReport, at: datetime) -> None:
        self.report, self.status, self.finished_at = report, ImportStatus.DONE, at

    def fail(self, reason: str, at: datetime) -> None:
        self.status, self.error, self.finished_at = ImportStatus.FAILED, reason, at
