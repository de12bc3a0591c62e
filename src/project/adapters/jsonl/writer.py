"""JSON Lines export: one bookmark per line with every field, for backups and scripts.

The entity is encoded as it is (ids as strings, times in RFC 3339, page metadata and
archive status included), so a field added to Bookmark is exported without a mapping to
keep in step.
"""

from __future__ import annotations

from typing import Any

import msgspec

from project.domain.model.bookmarks import Bookmark

JSONL_MEDIA_TYPE = "application/x-ndjson"

_encoder = msgspec.json.Encoder()


def jsonl_entry(bookmark: Bookmark) -> bytes:
    try:
        return _encoder.encode(bookmark) + b"\n"
    except UnicodeEncodeError:  # a lone surrogate (say, from a command line) is not UTF-8
        return _encoder.encode(_replace_surrogates(msgspec.to_builtins(bookmark))) + b"\n"


def _replace_surrogates(value: Any) -> Any:
    """A "?" for what UTF-8 cannot hold beats failing a whole export over one character."""
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, dict):
        return {key: _replace_surrogates(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_replace_surrogates(item) for item in value]
    return value


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
