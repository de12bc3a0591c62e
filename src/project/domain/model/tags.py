"""Tags: per-user labels, trimmed, lowercased, 1-64 characters, no whitespace (SPEC 3.3)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from project.domain.model.errors import InvalidTag

MAX_TAG_LENGTH = 64
MAX_TAGS_PER_BOOKMARK = 100

# In ASCII the only whitespace and "C" (control) characters are 0x00-0x20 and 0x7f, and NFC
# changes nothing: the common case needs no per-character Unicode lookups.
_ASCII_REFUSED = re.compile(r"[\x00-\x20\x7f,]")


def normalize_tag(raw: str) -> str:
    """The one spelling a tag is stored under; raises InvalidTag for an unusable name."""
    # Lowercase before composing: the other order is not stable for a few accented letters.
    tag = raw.strip().lower()
    if not tag.isascii():
        tag = unicodedata.normalize("NFC", tag)
    if not tag or len(tag) > MAX_TAG_LENGTH:
        raise InvalidTag(f"A tag must be 1 to {MAX_TAG_LENGTH} characters: {raw[:80]!r}.")
    if _has_refused_character(tag):
        # Commas separate tags in bookmark files (TAGS="a,b"); one inside a tag would split it.
        raise InvalidTag(
            f"A tag cannot contain spaces, commas or control characters: {raw[:80]!r}."
        )
    return tag


def normalize_tags(raw: Iterable[str]) -> tuple[str, ...]:
    """Normalized, deduplicated and sorted, so equal sets compare equal."""
    tags = tuple(sorted({normalize_tag(tag) for tag in raw}))
    if len(tags) > MAX_TAGS_PER_BOOKMARK:
        raise InvalidTag(f"A bookmark can have at most {MAX_TAGS_PER_BOOKMARK} tags.")
    return tags


def _has_refused_character(tag: str) -> bool:
    if tag.isascii():
        return _ASCII_REFUSED.search(tag) is not None
    return any(c.isspace() or c == "," or unicodedata.category(c).startswith("C") for c in tag)
