"""JSON Lines: a bookmark per line with every field, exported and imported (SPEC 3.6)."""

from project.adapters.jsonl.reader import JsonlReader, read_jsonl, read_jsonl_stream
from project.adapters.jsonl.writer import JSONL_MEDIA_TYPE, JSONL_WRITER, JsonlWriter, jsonl_entry

__all__ = [
    "JSONL_MEDIA_TYPE",
    "JSONL_WRITER",
    "JsonlReader",
    "JsonlWriter",
    "jsonl_entry",
    "read_jsonl",
    "read_jsonl_stream",
]
