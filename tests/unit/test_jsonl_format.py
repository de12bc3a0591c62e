"""JSON Lines: every field out, the importable ones back in, bad lines reported (SPEC 3.6)."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import msgspec
from hypothesis import given
from hypothesis import strategies as st

from project.adapters.jsonl import (
    JSONL_MEDIA_TYPE,
    JSONL_WRITER,
    jsonl_entry,
    read_jsonl,
    read_jsonl_stream,
)
from project.adapters.jsonl.reader import MAX_LINE_BYTES
from project.domain.model.bookmarks import ArchiveStatus, Bookmark, PageMetadata
from project.domain.model.ids import BookmarkId, CollectionId, UserId
from project.domain.model.imports import ImportEntry, InvalidEntry

T0 = datetime(2024, 5, 1, 12, 30, 15, 123456, tzinfo=UTC)


def _bookmark(**fields: Any) -> Bookmark:
    values: dict[str, Any] = {"url": "https://example.com/", "at": T0, **fields}
    return Bookmark.create(id=BookmarkId(uuid.uuid4()), owner_id=UserId(uuid.uuid4()), **values)


def test_a_line_holds_every_field_with_string_ids_and_rfc3339_times() -> None:
    bookmark = _bookmark(title="T", tags=["a"], collection_id=CollectionId(uuid.uuid4()))
    bookmark.page = PageMetadata(title="Fetched", site_name="Example", word_count=120)
    bookmark.archive_status = ArchiveStatus.ARCHIVED
    line = jsonl_entry(bookmark)
    assert line.endswith(b"\n")
    assert line.count(b"\n") == 1
    record = msgspec.json.decode(line)
    assert set(record) == set(Bookmark.__struct_fields__)
    assert (record["id"], record["owner_id"]) == (str(bookmark.id), str(bookmark.owner_id))
    assert record["collection_id"] == str(bookmark.collection_id)
    assert record["created_at"] == "2024-05-01T12:30:15.123456Z"
    assert record["page"]["site_name"] == "Example"
    assert record["archive_status"] == "archived"
    assert (JSONL_WRITER.media_type, JSONL_WRITER.extension) == (JSONL_MEDIA_TYPE, "jsonl")
    assert JSONL_WRITER.header() == JSONL_WRITER.footer() == b""


_text = st.text(st.characters(codec="utf-8"))
_times = st.datetimes(timezones=st.just(UTC))


@st.composite
def bookmarks(draw: st.DrawFn) -> Bookmark:
    return _bookmark(
        url="https://example.com/" + draw(st.from_regex(r"[a-z0-9/?=&%~-]{0,20}", fullmatch=True)),
        title=draw(_text.filter(lambda t: len(t.strip()) <= 512)),
        description=draw(_text),
        notes=draw(_text),
        tags=draw(st.lists(st.from_regex(r"[a-z0-9\"_-]{1,10}", fullmatch=True), max_size=4)),
        unread=draw(st.booleans()),
        archived=draw(st.booleans()),
        favorite=draw(st.booleans()),
        created_at=draw(_times),
        at=draw(_times),
    )


@given(st.lists(bookmarks(), max_size=4))
def test_export_then_import_gives_back_what_an_import_entry_carries(saved: list[Bookmark]) -> None:
    read = list(read_jsonl([b"".join(map(jsonl_entry, saved))]))
    assert read == [
        ImportEntry(
            url=b.url,
            title=b.title,
            description=b.description,
            notes=b.notes,
            tags=b.tags,
            created_at=b.created_at,
            modified_at=b.updated_at,
            unread=b.unread,
            archived=b.archived,
            favorite=b.favorite,
            position=n,
        )
        for n, b in enumerate(saved, start=1)
    ]


def test_bad_lines_are_reported_with_their_line_number_and_blank_lines_skipped() -> None:
    lines = [
        b'{"url": "https://a.example", "title": "A", "created_at": "2024-01-01T00:00:00"}',
        b"",
        b"not json",
        b'{"title": "no url"}',
        b'{"url": "https://b.example", "unread": "yes"}',
        b"[1, 2]",
        b'{"url": "https://c.example", "extra": {"ignored": true}}',
    ]
    first, bad_json, no_url, bad_flag, array, last = read_jsonl([b"\r\n".join(lines)])
    assert isinstance(first, ImportEntry)
    assert first.created_at == datetime(2024, 1, 1, tzinfo=UTC)  # no offset: taken as UTC
    reported = [bad for bad in (bad_json, no_url, bad_flag, array) if isinstance(bad, InvalidEntry)]
    assert [bad.position for bad in reported] == [3, 4, 5, 6]
    assert ["malformed" in reported[0].reason, "url" in reported[1].reason] == [True, True]
    assert "unread" in reported[2].reason
    assert reported[2].url == "https://b.example"  # named in the report when it can be
    assert isinstance(last, ImportEntry)
    assert (last.url, last.position) == ("https://c.example", 7)


def test_a_character_utf8_cannot_hold_is_exported_as_a_question_mark() -> None:
    (entry,) = read_jsonl([jsonl_entry(_bookmark(title="a\udcffb"))])
    assert isinstance(entry, ImportEntry)
    assert entry.title == "a?b"


def test_a_byte_order_mark_and_a_missing_final_newline_are_fine() -> None:
    (entry,) = read_jsonl([b'\xef\xbb\xbf{"url": "https://a.example"}'])
    assert entry == ImportEntry(url="https://a.example", position=1)


def test_an_overlong_line_is_reported_and_reading_goes_on() -> None:
    long_line = b'{"url": "https://a.example/' + b"a" * MAX_LINE_BYTES + b'"}\n'
    chunks = [long_line[i : i + 65536] for i in range(0, len(long_line), 65536)]
    too_long, after = read_jsonl([*chunks, b'{"url": "https://b.example"}\n'])
    assert isinstance(too_long, InvalidEntry)
    assert "longer than" in too_long.reason
    assert after == ImportEntry(url="https://b.example", position=2)


@given(st.binary(max_size=300))
def test_any_bytes_read_without_raising_in_any_chunking(data: bytes) -> None:
    whole = list(read_jsonl([data]))
    assert list(read_jsonl(data[i : i + 3] for i in range(0, len(data), 3))) == whole


async def test_the_async_reader_streams_the_same_entries() -> None:
    data = b"".join(jsonl_entry(_bookmark(url=f"https://example.com/{n}")) for n in range(5))

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(data), 10):
            yield data[start : start + 10]

    streamed = [entry async for entry in read_jsonl_stream(chunks(), folders_as_tags=True)]
    assert streamed == list(read_jsonl([data]))
