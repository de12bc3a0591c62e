"""Writing the Netscape bookmark file format, one entry at a time so an export streams.

What the user wrote is exported (their title and description, not the fetched ones), so a
re-import gives back the same bookmarks. Beyond the browser attributes, `ARCHIVED="1"` and
`FAVORITE="1"` carry our flags, and notes ride in the `<DD>` the way linkding writes them.
Titles are written on one line, whitespace collapsed; everything is HTML-escaped.
"""

from __future__ import annotations

from html import escape

from project.adapters.netscape._entry import NOTES_CLOSE, NOTES_OPEN
from project.domain.model.bookmarks import Bookmark

NETSCAPE_MEDIA_TYPE = "text/html; charset=utf-8"

_HEADER = """<!DOCTYPE NETSCAPE-Bookmark-file-1>
<!-- This is an automatically generated file.
     It will be read and overwritten.
     DO NOT EDIT! -->
<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">
<TITLE>Bookmarks</TITLE>
<H1>Bookmarks</H1>
<DL><p>
"""
_FOOTER = "</DL><p>\n"


def netscape_header() -> bytes:
    return _HEADER.encode()


def netscape_footer() -> bytes:
    return _FOOTER.encode()


def netscape_entry(bookmark: Bookmark) -> bytes:
    attributes = " ".join(f'{name}="{escape(value)}"' for name, value in _attributes(bookmark))
    title = escape(" ".join(bookmark.title.split()))
    lines = [f"    <DT><A {attributes}>{title}</A>\n"]
    description = escape(bookmark.description)
    if bookmark.notes:
        description += f"{NOTES_OPEN}{escape(bookmark.notes)}{NOTES_CLOSE}"
    if description:
        lines.append(f"    <DD>{description}\n")
    # A lone surrogate cannot be UTF-8; a "?" beats failing a whole export over it.
    return "".join(lines).encode("utf-8", "replace")


def _attributes(bookmark: Bookmark) -> list[tuple[str, str]]:
    attributes = [
        ("HREF", bookmark.url),
        ("ADD_DATE", str(int(bookmark.created_at.timestamp()))),
        ("LAST_MODIFIED", str(int(bookmark.updated_at.timestamp()))),
        ("PRIVATE", "1"),
    ]
    flags = (("TOREAD", bookmark.unread), ("ARCHIVED", bookmark.archived))
    attributes += [(name, "1") for name, on in (*flags, ("FAVORITE", bookmark.favorite)) if on]
    if bookmark.tags:
        attributes.append(("TAGS", ",".join(bookmark.tags)))
    return attributes


class NetscapeWriter:
    """The Netscape format as the export service's BookmarkFileWriter."""

    media_type = NETSCAPE_MEDIA_TYPE
    extension = "html"

    def header(self) -> bytes:
        return netscape_header()

    def entry(self, bookmark: Bookmark) -> bytes:
        return netscape_entry(bookmark)

    def footer(self) -> bytes:
        return netscape_footer()


NETSCAPE_WRITER = NetscapeWriter()
