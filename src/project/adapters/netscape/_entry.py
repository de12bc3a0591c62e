"""Turning one anchor's attributes and text into an import entry.

Values stay raw where the import service applies the rules (URL, tags); what only this
format knows is decoded here: its dates, its flag spellings, linkding's conventions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from project.domain.model.errors import InvalidTag
from project.domain.model.imports import ImportEntry, InvalidEntry
from project.domain.model.tags import normalize_tag

# linkding keeps notes inside the description and marks archived bookmarks with a tag.
NOTES_OPEN, NOTES_CLOSE = "[linkding-notes]", "[/linkding-notes]"
_ARCHIVED_TAG = "linkding:archived"

_NUMBER = re.compile(r"[0-9]{1,20}(?:\.[0-9]*)?", re.ASCII)
_TRUE = frozenset({"1", "true", "yes", "on"})


def build_entry(
    position: int,
    attrs: Mapping[str, str],
    title: str,
    dd_text: str,
    folder_tags: Iterable[str],
) -> ImportEntry | InvalidEntry:
    url = attrs.get("href", "").strip()
    if not url:
        return InvalidEntry(position=position, reason="The link has no HREF address.")
    tags = [tag.strip() for tag in attrs.get("tags", "").split(",") if tag.strip()]
    description, notes = _split_notes(_newlines(dd_text))
    return ImportEntry(
        url=url,
        title=" ".join(title.split()),
        description=description,
        notes=notes,
        tags=tuple(dict.fromkeys(t for t in (*tags, *folder_tags) if t != _ARCHIVED_TAG)),
        created_at=parse_timestamp(attrs.get("add_date") or attrs.get("time_added")),
        modified_at=parse_timestamp(attrs.get("last_modified")),
        unread=_flag(attrs.get("toread")),
        archived=_flag(attrs.get("archived")) or _ARCHIVED_TAG in tags,
        favorite=_flag(attrs.get("favorite")),
        private=_flag(attrs.get("private", "1")),
        position=position,
    )


def parse_timestamp(value: str | None) -> datetime | None:
    """Unix seconds; larger values are the milliseconds or microseconds some browsers write.

    Zero, negative and unreadable values mean "unknown", as exporters use them.
    """
    if value is None or not _NUMBER.fullmatch(value.strip()):
        return None
    seconds = int(value.strip().partition(".")[0])
    if seconds > 10**14:
        seconds //= 10**6
    elif seconds > 10**11:
        seconds //= 10**3
    if seconds <= 0:
        return None
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def folder_tag(name: str) -> str | None:
    """A folder name as a tag: words joined by "-" (`Reading List` -> `reading-list`)."""
    try:
        return normalize_tag("-".join(name.split()))
    except InvalidTag:
        return None


def _flag(value: str | None) -> bool:
    return value is not None and value.strip().lower() in _TRUE


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _split_notes(text: str) -> tuple[str, str]:
    start = text.find(NOTES_OPEN)
    end = text.find(NOTES_CLOSE, start + len(NOTES_OPEN))
    if start < 0 or end < 0:
        return text.strip(), ""
    notes = text[start + len(NOTES_OPEN) : end]
    return (text[:start] + text[end + len(NOTES_CLOSE) :]).strip(), notes
