"""The bookmark file formats the import and export services offer, by name."""

from __future__ import annotations

from project.ports.files import BookmarkFileReader, BookmarkFileWriter


def file_readers() -> dict[str, BookmarkFileReader]:
    from project.adapters.jsonl import read_jsonl_stream
    from project.adapters.netscape import read_netscape_stream

    return {"netscape": read_netscape_stream, "jsonl": read_jsonl_stream}


def file_writers() -> dict[str, BookmarkFileWriter]:
    from project.adapters.jsonl import JSONL_WRITER
    from project.adapters.netscape import NETSCAPE_WRITER

    return {"netscape": NETSCAPE_WRITER, "jsonl": JSONL_WRITER}
