"""The bookmark entity: what the user typed wins, versions move on change, bounds hold."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import msgspec
import pytest

from project.domain.model.bookmarks import (
    MAX_TITLE_LENGTH,
    ArchiveStatus,
    Bookmark,
    BookmarkChanges,
    PageMetadata,
)
from project.domain.model.errors import InvalidInput, InvalidTag, InvalidUrl, PreconditionFailed
from project.domain.model.ids import BookmarkId, UserId

T0 = datetime(2026, 1, 1, tzinfo=UTC)
T1 = T0 + timedelta(hours=1)


def _bookmark(**overrides: object) -> Bookmark:
    fields: dict[str, object] = {
        "id": BookmarkId(uuid.uuid4()),
        "owner_id": UserId(uuid.uuid4()),
        "url": "https://Example.com/a?utm_source=x",
        "at": T0,
    }
    fields.update(overrides)
    return Bookmark.create(**fields)  # type: ignore[arg-type]


def test_a_new_bookmark_keeps_the_url_as_given_and_its_canonical_form() -> None:
    bookmark = _bookmark()

    assert bookmark.url == "https://Example.com/a?utm_source=x"
    assert bookmark.canonical_url == "https://example.com/a"
    assert bookmark.version == 1


def test_tags_are_normalized_deduplicated_and_sorted() -> None:
    assert _bookmark(tags=["Python", " web ", "python"]).tags == ("python", "web")


def test_a_tag_with_a_space_is_refused() -> None:
    with pytest.raises(InvalidTag):
        _bookmark(tags=["two words"])


def test_a_non_http_url_is_refused() -> None:
    with pytest.raises(InvalidUrl):
        _bookmark(url="javascript:alert(1)")


def test_an_overlong_title_is_refused() -> None:
    with pytest.raises(InvalidInput):
        _bookmark(title="x" * (MAX_TITLE_LENGTH + 1))


def test_fetched_metadata_fills_only_what_the_user_left_empty() -> None:
    typed = _bookmark(title="Mine")
    blank = _bookmark()
    page = PageMetadata(title="From the page", description="Fetched")

    typed.record_page(page, T1, stored_bytes=0)
    blank.record_page(page, T1, stored_bytes=0)

    assert (typed.title, typed.display_title) == ("Mine", "Mine")
    assert (blank.title, blank.display_title) == ("", "From the page")
    assert typed.display_description == "Fetched"


def test_an_edit_that_changes_something_moves_the_version_and_time() -> None:
    bookmark = _bookmark()

    changed = bookmark.apply(BookmarkChanges(title="New", unread=True), T1)

    assert changed is True
    assert (bookmark.title, bookmark.unread, bookmark.version) == ("New", True, 2)
    assert bookmark.updated_at == T1


def test_an_edit_that_changes_nothing_keeps_the_version() -> None:
    bookmark = _bookmark(title="Same")

    assert bookmark.apply(BookmarkChanges(title="Same"), T1) is False
    assert bookmark.version == 1
    assert bookmark.updated_at == T0


def test_unset_fields_of_an_edit_stay_as_they_were() -> None:
    bookmark = _bookmark(title="Keep", notes="n", tags=["a"])

    bookmark.apply(BookmarkChanges(favorite=True), T1)

    assert (bookmark.title, bookmark.notes, bookmark.tags) == ("Keep", "n", ("a",))


def test_changing_the_url_recomputes_the_canonical_url() -> None:
    bookmark = _bookmark()

    bookmark.apply(BookmarkChanges(url="https://example.org/B#frag"), T1)

    assert bookmark.canonical_url == "https://example.org/B"


def test_a_stale_version_is_refused_and_the_current_one_accepted() -> None:
    bookmark = _bookmark()
    bookmark.apply(BookmarkChanges(title="v2"), T1)

    with pytest.raises(PreconditionFailed):
        bookmark.check_version(1)
    bookmark.check_version(2)
    bookmark.check_version(None)


def test_renaming_a_tag_merges_into_an_existing_one() -> None:
    bookmark = _bookmark(tags=["old", "new", "other"])

    assert bookmark.replace_tag("old", "new", T1) is True
    assert bookmark.tags == ("new", "other")
    assert bookmark.replace_tag("absent", "x", T1) is False


def test_adding_and_removing_tags_reports_whether_anything_changed() -> None:
    bookmark = _bookmark(tags=["a"])

    assert bookmark.add_tags(["a"], T1) is False
    assert bookmark.add_tags(["b"], T1) is True
    assert bookmark.remove_tags(["a", "zzz"], T1) is True
    assert bookmark.tags == ("b",)


def test_a_bookmark_survives_a_msgspec_round_trip() -> None:
    bookmark = _bookmark(tags=["x"], notes="# md")

    decoded = msgspec.json.decode(msgspec.json.encode(bookmark), type=Bookmark)

    assert decoded == bookmark


@pytest.mark.parametrize("raw", ["a,b", "tab\there", "", "x" * 65])
def test_a_tag_that_a_bookmark_file_could_not_carry_is_refused(raw: str) -> None:
    with pytest.raises(InvalidTag):
        _bookmark(tags=[raw])


def test_marking_the_archive_state_moves_the_version_only_when_it_changes() -> None:
    bookmark = _bookmark()

    assert bookmark.mark_archive(ArchiveStatus.FAILED, "blocked", T1) is True
    assert bookmark.mark_archive(ArchiveStatus.FAILED, "blocked", T1) is False
    assert (bookmark.archive_status, bookmark.archive_error, bookmark.version) == (
        ArchiveStatus.FAILED,
        "blocked",
        2,
    )
