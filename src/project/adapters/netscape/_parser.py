"""An HTML parser that follows the loose structure of bookmark files, entry by entry.

Bookmark files are rarely valid HTML (`<DT>` and `<DD>` never closed, `<p>` after every
`<DL>`), so the parser keeps no tree: an entry starts at `<A>`, takes the text up to `</A>`
as its title and the text of a following `<DD>` as its description, and ends at the next
structural tag. Folder names (`<H3>`) apply to the `<DL>` that follows them.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from project.adapters.netscape._entry import build_entry, folder_tag
from project.domain.model.imports import ImportEntry, InvalidEntry

MAX_TEXT = 65_536  # characters kept of one title, description or folder name
MAX_PENDING_MARKUP = 1 << 20  # an unterminated tag or comment longer than this is dropped

_ENDS_ENTRY = frozenset({"a", "dt", "dl", "h1", "h2", "h3", "li", "ul", "ol", "hr"})
# Browser-made folders that say where a bookmark sat in the UI, not what it is about.
_SYSTEM_FOLDER_ATTRS = ("personal_toolbar_folder", "unfiled_bookmarks_folder")


class _Entry:
    def __init__(self, position: int, attrs: dict[str, str], folders: tuple[str, ...]) -> None:
        self.position, self.attrs, self.folders = position, attrs, folders
        self.title: list[str] = []
        self.description: list[str] = []


class BookmarkParser(HTMLParser):
    """Fed text in pieces; `take()` hands over the entries completed so far."""

    def __init__(self, *, folders_as_tags: bool) -> None:
        super().__init__(convert_charrefs=True)
        self._folders_as_tags = folders_as_tags
        self._done: list[ImportEntry | InvalidEntry] = []
        self._position = 0
        self._entry: _Entry | None = None
        self._text: list[str] | None = None  # where character data goes now, if anywhere
        self._text_size = 0
        self._folder_name: list[str] | None = None
        self._folder_attrs: dict[str, str] = {}
        self._next_folder: str | None = None
        self._folders: list[str | None] = []  # one per open <DL>

    def feed(self, data: str) -> None:
        try:
            super().feed(data)
        except AssertionError:  # html.parser's last word on markup it cannot place
            self.rawdata = ""
        if len(self.rawdata) > MAX_PENDING_MARKUP:
            self.rawdata = ""  # a tag or comment that never ends must not fill memory

    def close(self) -> None:
        try:
            super().close()
        except AssertionError:
            self.rawdata = ""
        self._end_folder_name()
        self._end_entry()

    def take(self) -> list[ImportEntry | InvalidEntry]:
        done, self._done = self._done, []
        return done

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _ENDS_ENTRY or tag == "dd":
            self._end_folder_name()
        if tag in _ENDS_ENTRY:
            self._end_entry()
        if tag == "a":
            self._start_entry(attrs)
        elif tag == "dd" and self._entry is not None:
            self._capture(self._entry.description)
        elif tag == "h3":
            self._folder_name, self._folder_attrs = [], _attributes(attrs)
            self._capture(self._folder_name)
        elif tag == "dl":
            self._folders.append(self._next_folder)
            self._next_folder = None
        elif tag == "br" and self._text is not None:
            self.handle_data("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._entry is not None and self._text is self._entry.title:
            self._text = None  # the entry stays open: a <DD> may follow
        elif tag == "h3":
            self._end_folder_name()
        elif tag == "dd":
            self._end_entry()
        elif tag == "dl":
            self._end_folder_name()
            self._end_entry()
            if self._folders:
                self._folders.pop()

    def handle_data(self, data: str) -> None:
        if self._text is not None and self._text_size < MAX_TEXT:
            piece = data[: MAX_TEXT - self._text_size]
            self._text.append(piece)
            self._text_size += len(piece)

    def set_cdata_mode(self, *args: Any, **kwargs: Any) -> None:
        """Read <script> and <style> as markup: bookmark files have none, and raw-text mode
        would swallow the rest of a file that opens one."""

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:  # `<![junk`: skip it like any other bogus comment
            return self.parse_bogus_comment(i, report)

    def _start_entry(self, attrs: list[tuple[str, str | None]]) -> None:
        self._position += 1
        folders = tuple(f for f in self._folders if f) if self._folders_as_tags else ()
        self._entry = _Entry(self._position, _attributes(attrs), folders)
        self._capture(self._entry.title)

    def _end_entry(self) -> None:
        entry, self._entry = self._entry, None
        if entry is None:
            return
        self._text = None
        self._done.append(
            build_entry(
                entry.position,
                entry.attrs,
                "".join(entry.title),
                "".join(entry.description),
                entry.folders,
            )
        )

    def _end_folder_name(self) -> None:
        name, self._folder_name = self._folder_name, None
        if name is None:
            return
        self._text = None
        system = any(self._folder_attrs.get(a, "").lower() == "true" for a in _SYSTEM_FOLDER_ATTRS)
        self._next_folder = None if system else folder_tag("".join(name))

    def _capture(self, target: list[str]) -> None:
        self._text, self._text_size = target, 0


def _attributes(attrs: list[tuple[str, str | None]]) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, value in attrs:
        found.setdefault(name, value or "")  # the first of repeated attributes wins
    return found
