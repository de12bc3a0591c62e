"""Exports: a user's bookmarks as a streamed Netscape or JSON Lines file (SPEC 3.6)."""

from __future__ import annotations

import enum
from collections.abc import AsyncIterator

from project.domain.model.ids import BookmarkId, UserId
from project.domain.services._catalog import CatalogDeps
from project.ports.files import BookmarkFileWriter

BATCH_SIZE = 500


class ExportFormat(enum.StrEnum):
    NETSCAPE = "netscape"
    JSONL = "jsonl"


class ExportService:
    def __init__(self, deps: CatalogDeps) -> None:
        self._d = deps

    def writer(self, file_format: ExportFormat) -> BookmarkFileWriter:
        return self._d.writers[file_format]

    async def stream(self, owner_id: UserId, file_format: ExportFormat) -> AsyncIterator[bytes]:
        """Yield the file in pieces. Each batch reads in its own short transaction, so a slow
        download never holds a database connection."""
        writer = self.writer(file_format)
        yield writer.header()
        after: BookmarkId | None = None
        while True:
            async with self._d.uow() as uow:
                batch = await uow.bookmarks.export_batch(owner_id, after=after, limit=BATCH_SIZE)
            if not batch:
                break
            yield b"".join(writer.entry(bookmark) for bookmark in batch)
            after = batch[-1].id
        yield writer.footer()
