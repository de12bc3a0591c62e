"""JSON Lines import, streamed line by line: a bad line is reported, never fatal.

Reads what `jsonl_entry` writes, and any object with at least a `url`: unknown fields are
ignored, so files from other tools (or later versions) still import.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from datetime import UTC, datetime

import msgspec

from project.domain.model.imports import ImportEntry, InvalidEntry

MAX_LINE_BYTES = 1 << 20
_BOM = b"\xef\xbb\xbf"


class _Line(msgspec.Struct, kw_only=True):
    url: str
    title: str = ""
    description: str = ""
    notes: str = ""
    tags: tuple[str, ...] = ()
    created_at: datetime | None = None
    updated_at: datetime | None = None
    unread: bool = False
    archived: bool = False
    favorite: bool = False


_decoder = msgspec.json.Decoder(_Line)


class JsonlReader:
    """Push-style reader: feed bytes as they arrive, collect the lines they complete.

    Positions are line numbers (from 1); blank lines are skipped.
    """

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._line = 0
        self._too_long = False  # the current line passed MAX_LINE_BYTES: drop it to its end

    def feed(self, chunk: bytes) -> list[ImportEntry | InvalidEntry]:
        self._buffer += chunk
        done: list[ImportEntry | InvalidEntry] = []
        start = 0
        while (end := self._buffer.find(b"\n", start)) >= 0:
            self._finish_line(bytes(self._buffer[start:end]), done)
            start = end + 1
        del self._buffer[:start]
        if len(self._buffer) > MAX_LINE_BYTES:
            self._too_long, self._buffer = True, bytearray()
        return done

    def close(self) -> list[ImportEntry | InvalidEntry]:
        done: list[ImportEntry | InvalidEntry] = []
        if self._buffer or self._too_long:
            self._finish_line(bytes(self._buffer), done)
        self._buffer = bytearray()
        return done

    def _finish_line(self, line: bytes, done: list[ImportEntry | InvalidEntry]) -> None:
        self._line += 1
        if self._line == 1:
            line = line.removeprefix(_BOM)
        if self._too_long or len(line) > MAX_LINE_BYTES:
            self._too_long = False
            reason = f"The line is longer than {MAX_LINE_BYTES} bytes."
            done.append(InvalidEntry(position=self._line, reason=reason))
        elif line.strip():
            done.append(_entry(line, self._line))


def _entry(line: bytes, position: int) -> ImportEntry | InvalidEntry:
    try:
        item = _decoder.decode(line)
    except msgspec.DecodeError as error:  # ValidationError is a DecodeError
        return InvalidEntry(position=position, reason=str(error), url=_url_of(line))
    return ImportEntry(
        url=item.url,
        title=item.title,
        description=item.description,
        notes=item.notes,
        tags=item.tags,
        created_at=_utc(item.created_at),
        modified_at=_utc(item.updated_at),
        unread=item.unread,
        archived=item.archived,
        favorite=item.favorite,
        position=position,
    )


def _utc(moment: datetime | None) -> datetime | None:
    """Times without an offset are taken as UTC rather than refused."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def _url_of(line: bytes) -> str:
    """The line's url, when there is one, to name the entry in the report."""
    try:
        value = msgspec.json.decode(line)
    except msgspec.DecodeError:
        return ""
    url = value.get("url") if isinstance(value, dict) else None
    return url[:300] if isinstance(url, str) else ""


def read_jsonl(chunks: Iterable[bytes]) -> Iterator[ImportEntry | InvalidEntry]:
    reader = JsonlReader()
    for chunk in chunks:
        yield from reader.feed(chunk)
    yield from reader.close()


async def read_jsonl_stream(
    chunks: AsyncIterable[bytes], *, folders_as_tags: bool = False
) -> AsyncIterator[ImportEntry | InvalidEntry]:
    """`read_jsonl` over an asynchronous byte stream. JSON Lines has no folders:
    `folders_as_tags` is accepted, as every file reader takes it, and has no effect."""
    reader = JsonlReader()
    async for chunk in chunks:
        for entry in reader.feed(chunk):
            yield entry
    for entry in reader.close():
        yield entry
