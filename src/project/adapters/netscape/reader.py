"""Reading the Netscape bookmark file format, the one every browser and bookmark service
exports (SPEC 3.6), as a stream: memory holds the current chunk and entry, never the file.

Text is UTF-8 (a BOM is skipped, undecodable bytes become U+FFFD); a file's META charset is
ignored, as every exporter in use writes UTF-8.
"""

from __future__ import annotations

import asyncio
import codecs
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator

from project.adapters.netscape._parser import BookmarkParser
from project.domain.model.imports import ImportEntry, InvalidEntry


class NetscapeReader:
    """Push-style reader: feed bytes as they arrive, collect the entries they complete."""

    def __init__(self, *, folders_as_tags: bool = False) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="replace")
        self._parser = BookmarkParser(folders_as_tags=folders_as_tags)

    def feed(self, chunk: bytes) -> list[ImportEntry | InvalidEntry]:
        self._parser.feed(self._decoder.decode(chunk))
        return self._parser.take()

    def close(self) -> list[ImportEntry | InvalidEntry]:
        self._parser.feed(self._decoder.decode(b"", final=True))
        self._parser.close()
        return self._parser.take()


def read_netscape(
    chunks: Iterable[bytes], *, folders_as_tags: bool = False
) -> Iterator[ImportEntry | InvalidEntry]:
    """Entries in file order; an anchor without an address comes out as an InvalidEntry.

    Folder names become tags when `folders_as_tags` (browser-made folders such as the
    bookmarks toolbar excepted). Never raises on content: any bytes are some bookmark file.
    """
    reader = NetscapeReader(folders_as_tags=folders_as_tags)
    for chunk in chunks:
        yield from reader.feed(chunk)
    yield from reader.close()


async def read_netscape_stream(
    chunks: AsyncIterable[bytes], *, folders_as_tags: bool = False
) -> AsyncIterator[ImportEntry | InvalidEntry]:
    """`read_netscape` over an asynchronous byte stream (an upload, a stored file)."""
    reader = NetscapeReader(folders_as_tags=folders_as_tags)
    async for chunk in chunks:
        for entry in reader.feed(chunk):
            yield entry
        # Parsing holds the event loop: a turn per chunk lets a write in flight move on,
        # even when the chunks come from memory and never wait.
        await asyncio.sleep(0)
    for entry in reader.close():
        yield entry
