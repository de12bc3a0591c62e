"""Cursors, page sizes, collections and smart lists: the small rules of listing and sharing."""

from __future__ import annotations

import contextlib
import uuid
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from project.domain.model.collections import Collection, MemberRole, Membership
from project.domain.model.errors import Conflict, InvalidInput
from project.domain.model.ids import CollectionId, SmartListId, UserId
from project.domain.model.pages import Cursor, Sort, check_page_size, decode_cursor, encode_cursor
from project.domain.model.smart_lists import SmartList

T0 = datetime(2026, 1, 1, tzinfo=UTC)


@given(
    st.sampled_from(list(Sort)),
    st.one_of(
        st.integers(), st.text(max_size=50), st.floats(allow_nan=False, allow_infinity=False)
    ),
    st.uuids(),
)
def test_a_cursor_decodes_to_what_was_encoded(sort: Sort, key: object, row: uuid.UUID) -> None:
    cursor = Cursor(sort=sort, key=key, id=str(row))  # type: ignore[arg-type]

    assert decode_cursor(encode_cursor(cursor), sort) == cursor


@given(st.text(max_size=200))
def test_any_text_as_a_cursor_is_refused_cleanly_or_accepted(text: str) -> None:
    with contextlib.suppress(InvalidInput):
        decode_cursor(text, Sort.NEWEST)


def test_a_cursor_of_another_sort_is_refused() -> None:
    text = encode_cursor(Cursor(sort=Sort.TITLE, key="a", id=str(uuid.uuid4())))

    with pytest.raises(InvalidInput):
        decode_cursor(text, Sort.NEWEST)


@pytest.mark.parametrize("limit", [0, -1, 101])
def test_page_sizes_outside_1_to_100_are_refused(limit: int) -> None:
    with pytest.raises(InvalidInput):
        check_page_size(limit)


def _collection() -> Collection:
    return Collection.create(
        id=CollectionId(uuid.uuid4()),
        owner_id=UserId(uuid.uuid4()),
        name="  Reading   list ",
        description="",
        at=T0,
    )


def test_a_collection_name_is_trimmed_and_must_not_be_empty() -> None:
    assert _collection().name == "Reading list"
    with pytest.raises(InvalidInput):
        Collection.create(
            id=CollectionId(uuid.uuid4()),
            owner_id=UserId(uuid.uuid4()),
            name="   ",
            description="",
            at=T0,
        )


def test_publishing_again_replaces_the_link_and_unpublishing_removes_it() -> None:
    collection = _collection()

    collection.publish("first", T0)
    collection.publish("second", T0)
    assert collection.public_slug == "second"
    collection.unpublish(T0)
    assert collection.public_slug is None


def test_the_owner_cannot_be_made_a_member_of_their_own_collection() -> None:
    collection = _collection()

    with pytest.raises(Conflict):
        Membership.grant(collection, collection.owner_id, MemberRole.VIEWER, T0)


def test_a_smart_list_needs_a_name_and_a_bounded_query() -> None:
    def make(name: str, query: str) -> SmartList:
        return SmartList.create(
            id=SmartListId(uuid.uuid4()),
            owner_id=UserId(uuid.uuid4()),
            name=name,
            query=query,
            sort=Sort.NEWEST,
            at=T0,
        )

    assert make(" Unread  python ", "#python is:unread").name == "Unread python"
    with pytest.raises(InvalidInput):
        make("", "x")
    with pytest.raises(InvalidInput):
        make("ok", "x" * 1001)
