"""JSON Lines export: one bookmark per line with every field, for backups and scripts.

The entity is encoded as it is (ids as strings, times in RFC 3339, page metadata and
archive status included), so a field added to Bookmark is exported without a mapping to
keep in step.
"""

from __future__ import annotations

import msgspec

from project.domain.model.bookmarks import Bookmark

JSONL_MEDIA_TYPE = "application/x-ndjson"

_encoder = msgspec.json.Encoder()


def jsonl_entry(bookmark: Bookmark) -> bytes:
    return _encoder.encode(bookmark) + b"\n"


class JsonlWriter:
    """JSON Lines as the export service's BookmarkFileWriter: no header, no footer."""

    media_type = JSONL_MEDIA_TYPE
    extension = "jsonl"

    def header(self) -> bytes:
        return b""

    def entry(self, bookmark: Bookmark) -> bytes:
        return jsonl_entry(bookmark)

    def footer(self) -> bytes:
        return b""


JSONL_WRITER = JsonlWriter()
