"""The Netscape bookmark file: what browsers and services export, read as a stream (SPEC 3.6).

Round trip: export then import gives back the url, the title with its whitespace collapsed
to single spaces (titles are one line), the description with line endings as "\\n" and
outer whitespace stripped, notes, tags, flags, and both times to the second.
"""

import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from project.adapters.netscape import (
    NETSCAPE_MEDIA_TYPE,
    NETSCAPE_WRITER,
    netscape_entry,
    netscape_footer,
    netscape_header,
    read_netscape,
    read_netscape_stream,
)
from project.domain.model.bookmarks import Bookmark
from project.domain.model.ids import BookmarkId, UserId
from project.domain.model.imports import ImportEntry, InvalidEntry

T0 = datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)  # 1700000000

FIREFOX = """<!DOCTYPE NETSCAPE-Bookmark-file-1>
<!-- This is an automatically generated file. -->
<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'none'">
<TITLE>Bookmarks</TITLE>
<H1>Bookmarks Menu</H1>
<DL><p>
    <DT><H3 ADD_DATE="1600000000" LAST_MODIFIED="1700000000" PERSONAL_TOOLBAR_FOLDER="true">Bookmarks Toolbar</H3>
    <DL><p>
        <DT><A HREF="https://www.mozilla.org/en-US/firefox/" ADD_DATE="1700000000" LAST_MODIFIED="1700000100" ICON_URI="https://www.mozilla.org/favicon.ico" ICON="data:image/png;base64,iVBORw0KGgo=" TAGS="browser,mozilla">Firefox &amp; friends</A>
        <DT><H3 ADD_DATE="1600000000">Python Stuff</H3>
        <DD>Folder descriptions are not bookmark descriptions
        <DL><p>
            <DT><A HREF="https://docs.python.org/3/" ADD_DATE="1700000000000">Python docs</A>
            <DD>The &lt;official&gt; docs.
Second line.
            <DT><A HREF="https://peps.python.org/" ADD_DATE="1700000000000000" SHORTCUTURL="pep">PEPs</A>
        </DL><p>
    </DL><p>
    <DT><A HREF="https://example.org/menu">In the menu</A>
</DL>
"""  # noqa: E501

CHROME = """<!DOCTYPE NETSCAPE-Bookmark-file-1>
<!-- This is an automatically generated file.
     It will be read and overwritten.
     DO NOT EDIT! -->
<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">
<TITLE>Bookmarks</TITLE>
<H1>Bookmarks</H1>
<DL><p>
    <DT><H3 ADD_DATE="1700000000" LAST_MODIFIED="0" PERSONAL_TOOLBAR_FOLDER="true">Bookmarks bar</H3>
    <DL><p>
        <DT><H3 ADD_DATE="1700000000" LAST_MODIFIED="0">News</H3>
        <DL><p>
            <DT><A HREF="https://news.ycombinator.com/" ADD_DATE="1700000000" ICON="data:image/png;base64,AAAA">Hacker News</A>
        </DL><p>
    </DL><p>
</DL><p>
"""  # noqa: E501

# linkding joins its lines with "\n\r" and keeps notes and the archived flag in its own way.
LINKDING = "\n\r".join(
    [
        "<!DOCTYPE NETSCAPE-Bookmark-file-1>",
        '<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">',
        "<TITLE>Bookmarks</TITLE>",
        "<H1>Bookmarks</H1>",
        "<DL><p>",
        '<DT><A HREF="https://linkding.link/" ADD_DATE="1700000000" PRIVATE="0" TOREAD="1" '
        'TAGS="self-hosted,linkding:archived">linkding</A>',
        "<DD>A bookmark manager[linkding-notes]Try the **API**\r\nlater[/linkding-notes]",
        '<DT><A HREF="https://example.com/" ADD_DATE="1700000000" PRIVATE="1" TOREAD="0" '
        'TAGS="">Example</A>',
        "</DL><p>",
    ]
)

POCKET = """<!DOCTYPE html>
<html>
<head><title>Pocket Export</title></head>
<body>
<h1>Unread</h1>
<ul>
<li><a href="https://getpocket.com/a" time_added="1700000000" tags="read-later,long">A long read</a></li>
<li><a href="https://getpocket.com/b" time_added="1700000000" tags="">B</a></li>
</ul>
</body>
</html>
"""  # noqa: E501


def _read(text: str | bytes, *, folders_as_tags: bool = False) -> list[ImportEntry | InvalidEntry]:
    data = text.encode() if isinstance(text, str) else text
    return list(read_netscape([data], folders_as_tags=folders_as_tags))


def _entries(text: str, *, folders_as_tags: bool = False) -> list[ImportEntry]:
    found = _read(text, folders_as_tags=folders_as_tags)
    assert all(isinstance(entry, ImportEntry) for entry in found)
    return [entry for entry in found if isinstance(entry, ImportEntry)]


def test_a_firefox_export_gives_urls_titles_tags_dates_and_descriptions() -> None:
    docs, peps = _entries(FIREFOX)[1:3]
    first = _entries(FIREFOX)[0]
    assert (first.url, first.title) == (
        "https://www.mozilla.org/en-US/firefox/",
        "Firefox & friends",
    )
    assert first.tags == ("browser", "mozilla")
    assert (first.created_at, first.modified_at) == (T0, datetime(2023, 11, 14, 22, 15, tzinfo=UTC))
    assert docs.description == "The <official> docs.\nSecond line."
    assert docs.created_at == peps.created_at == T0  # milliseconds and microseconds
    assert [e.position for e in _entries(FIREFOX)] == [1, 2, 3, 4]


def test_folders_become_tags_without_the_browsers_own_folders() -> None:
    tags = [entry.tags for entry in _entries(FIREFOX, folders_as_tags=True)]
    assert tags == [("browser", "mozilla"), ("python-stuff",), ("python-stuff",), ()]
    assert _entries(CHROME, folders_as_tags=True)[0].tags == ("news",)


def test_folders_are_not_tags_unless_asked() -> None:
    assert _entries(CHROME)[0].tags == ()


def test_a_linkding_export_keeps_notes_flags_and_the_archived_marker() -> None:
    shared, plain = _entries(LINKDING)
    assert (shared.description, shared.notes) == ("A bookmark manager", "Try the **API**\nlater")
    assert (shared.unread, shared.archived, shared.private) == (True, True, False)
    assert shared.tags == ("self-hosted",)
    assert (plain.unread, plain.private, plain.tags) == (False, True, ())


def test_a_pocket_style_list_reads_time_added_and_tags() -> None:
    first, second = _entries(POCKET)
    assert (first.url, first.title, first.created_at) == (
        "https://getpocket.com/a",
        "A long read",
        T0,
    )
    assert first.tags == ("read-later", "long")
    assert second.tags == ()


def test_anchors_without_an_address_are_reported_in_position() -> None:
    found = _read('<DT><A HREF="https://a.example">a</A><DT><A NAME="x">b</A><A HREF=" ">c</A>')
    assert isinstance(found[0], ImportEntry)
    assert found[1:] == [
        InvalidEntry(position=2, reason="The link has no HREF address."),
        InvalidEntry(position=3, reason="The link has no HREF address."),
    ]


def test_malformed_html_is_read_as_far_as_it_makes_sense() -> None:
    text = (
        "garbage <<>> <DL><dt><a href=https://a.example tags='x , ,y'>A <b>bold</b> title"
        "<DD>desc <br>next<dt><A HREF='https://b.example' AdD_DaTe=nope ToReAd=TRUE>B"
        "<![bogus section> <script>x = '<a href=\"https://c.example\">c</a>'</script>"
        "<!-- an unterminated comment <A HREF=https://hidden.example>"
    )
    a, b, c = _entries(text)
    assert (a.url, a.title, a.tags, a.description) == (
        "https://a.example",
        "A bold title",
        ("x", "y"),
        "desc \nnext",
    )
    assert (b.url, b.created_at, b.unread) == ("https://b.example", None, True)
    assert c.url == "https://c.example"


def test_a_byte_order_mark_and_invalid_utf8_are_tolerated() -> None:
    data = b'\xef\xbb\xbf<DT><A HREF="https://a.example">caf\xc3\xa9 \xff</A>'
    (entry,) = _read(data)
    assert isinstance(entry, ImportEntry)
    assert entry.title == "café \ufffd"


def test_entity_escaped_titles_are_unescaped_once() -> None:
    (entry,) = _entries(
        '<A HREF="https://a.example/?a=1&amp;b=2">&lt;/A&gt;&amp;amp; &#x27;q&#39;</A>'
    )
    assert (entry.url, entry.title) == ("https://a.example/?a=1&b=2", "</A>&amp; 'q'")


@pytest.mark.parametrize("text", [FIREFOX, CHROME, LINKDING, POCKET])
def test_one_byte_chunks_read_the_same_as_one_chunk(text: str) -> None:
    data = ("\ufeff" + text + "<DT><A HREF='https://é.example'>ünïcödé</A>").encode()
    whole = list(read_netscape([data], folders_as_tags=True))
    assert (
        list(read_netscape((data[i : i + 1] for i in range(len(data))), folders_as_tags=True))
        == whole
    )


def test_entries_come_out_while_the_file_is_still_being_read() -> None:
    consumed = 0

    def chunks() -> Iterator[bytes]:
        nonlocal consumed
        yield netscape_header()
        for n in range(100_000):
            consumed += 1
            yield f'<DT><A HREF="https://example.com/{n}">{n}</A>\n'.encode()

    first = next(iter(read_netscape(chunks())))
    assert isinstance(first, ImportEntry)
    assert consumed <= 2


async def test_the_async_reader_streams_the_same_entries() -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for line in FIREFOX.encode().splitlines(keepends=True):
            yield line

    streamed = [entry async for entry in read_netscape_stream(chunks(), folders_as_tags=True)]
    assert streamed == _read(FIREFOX, folders_as_tags=True)


def _bookmark(**fields: Any) -> Bookmark:
    values: dict[str, Any] = {"url": "https://example.com/", "at": T0, **fields}
    return Bookmark.create(id=BookmarkId(uuid.uuid4()), owner_id=UserId(uuid.uuid4()), **values)


def test_the_writer_escapes_markup_and_writes_our_flags() -> None:
    bookmark = _bookmark(
        title='</A><script>alert("x")</script>', tags=["a", "b"], unread=True, favorite=True
    )
    line = netscape_entry(bookmark).decode()
    assert "<script>" not in line
    for attribute in ('ADD_DATE="1700000000"', 'TOREAD="1"', 'FAVORITE="1"', 'TAGS="a,b"'):
        assert attribute in line
    assert 'PRIVATE="1"' in line
    assert "ARCHIVED" not in line
    assert "<DD>" not in line  # no description, no notes: no <DD>
    assert netscape_header().startswith(b"<!DOCTYPE NETSCAPE-Bookmark-file-1>")
    assert (NETSCAPE_WRITER.media_type, NETSCAPE_WRITER.extension) == (NETSCAPE_MEDIA_TYPE, "html")


def test_a_character_utf8_cannot_hold_is_written_as_a_question_mark() -> None:
    file = netscape_entry(_bookmark(title="a\udcffb", description="c\ud800"))
    (entry,) = _entries(file.decode())
    assert (entry.title, entry.description) == ("a?b", "c?")


_times = st.datetimes(
    min_value=datetime(1971, 1, 1), max_value=datetime(2500, 1, 1), timezones=st.just(UTC)
).map(lambda moment: moment.replace(microsecond=0))
_text = st.text(st.characters(codec="utf-8"))
_tags = st.from_regex(r"[a-z0-9\u00e0-\u00ff&<>\"'_.:/+-]{1,20}", fullmatch=True).filter(
    lambda tag: tag != "linkding:archived"
)
_paths = st.text(
    st.characters(exclude_categories=("Cc", "Cf", "Cs", "Zs", "Zl", "Zp")), max_size=30
)


@st.composite
def bookmarks(draw: st.DrawFn) -> Bookmark:
    return _bookmark(
        url="https://example.com/" + draw(_paths),
        title=draw(_text.filter(lambda t: len(t.strip()) <= 512)),
        description=draw(_text.filter(lambda t: "[linkding-notes]" not in t)),
        notes=draw(_text.filter(lambda t: "[/linkding-notes]" not in t)),
        tags=draw(st.lists(_tags, max_size=5)),
        unread=draw(st.booleans()),
        archived=draw(st.booleans()),
        favorite=draw(st.booleans()),
        created_at=draw(_times),
        at=draw(_times),
    )


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


@given(st.lists(bookmarks(), max_size=4))
def test_export_then_import_gives_back_the_same_bookmarks(saved: list[Bookmark]) -> None:
    file = netscape_header() + b"".join(map(netscape_entry, saved)) + netscape_footer()
    read = [entry for entry in read_netscape([file]) if isinstance(entry, ImportEntry)]
    assert len(read) == len(saved)
    for bookmark, entry in zip(saved, read, strict=True):
        assert entry.url == bookmark.url
        assert entry.title == " ".join(bookmark.title.split())
        assert entry.description == _lines(bookmark.description).strip()
        assert entry.notes == _lines(bookmark.notes)
        assert entry.tags == bookmark.tags
        assert (entry.created_at, entry.modified_at) == (bookmark.created_at, bookmark.updated_at)
        flags = (entry.unread, entry.archived, entry.favorite)
        assert flags == (bookmark.unread, bookmark.archived, bookmark.favorite)


@given(st.binary(max_size=400))
def test_any_bytes_read_without_raising_in_any_chunking(data: bytes) -> None:
    whole = list(read_netscape([data]))
    assert list(read_netscape(data[i : i + 7] for i in range(0, len(data), 7))) == whole


_GARBAGE_PIECES = """<A |<a |NAME=x| TAGS="t"|=|"|'|>|</A>|<DD>|<DT>|<H3>|</H3>|<DL>|</DL>|&amp;|&|
<!--|-->|<![|]]>|<|/>| |x""".replace("\n", "").split("|")
_anchor_garbage = st.lists(
    st.sampled_from(_GARBAGE_PIECES) | st.text(max_size=5),
    max_size=40,
).map("".join)


@given(_anchor_garbage.filter(lambda text: "href" not in text.lower()))
def test_anchor_garbage_without_an_address_yields_only_invalid_entries(text: str) -> None:
    assert all(isinstance(entry, InvalidEntry) for entry in _read(text))


@given(st.lists(_anchor_garbage | st.sampled_from([" HREF=", "HREF=x", 'href="h"']), max_size=20))
def test_every_anchor_gives_one_result_numbered_from_one(pieces: list[str]) -> None:
    found = _read("".join(pieces))
    assert [entry.position for entry in found] == list(range(1, len(found) + 1))
    assert all(entry.url.strip() for entry in found if isinstance(entry, ImportEntry))
