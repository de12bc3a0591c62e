"""Bookmark file formats (Netscape HTML, JSON Lines) for imports and exports (SPEC 3.6)."""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator
from typing import Protocol

from project.domain.model.bookmarks import Bookmark
from project.domain.model.imports import ImportEntry, InvalidEntry


class BookmarkFileReader(Protocol):
    """Streams entries out of a file's bytes; never raises on bad content: what cannot be
    read comes out as an InvalidEntry with a reason."""

    def __call__(
        self, chunks: AsyncIterable[bytes], *, folders_as_tags: bool
    ) -> AsyncIterator[ImportEntry | InvalidEntry]: ...


class BookmarkFileWriter(Protocol):
    """Writes a file in pieces so an export of any size streams."""

    media_type: str
    extension: str

    def header(self) -> bytes: ...
    def entry(self, bookmark: Bookmark) -> bytes: ...
    def footer(self) -> bytes: ...
