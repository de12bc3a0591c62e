"""The storage quota (S23): what an archive may add, what re-archiving replaces, the message."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from project.domain.model.bookmarks import Bookmark, PageMetadata
from project.domain.model.errors import InvalidInput, StorageQuotaExceeded
from project.domain.model.ids import BookmarkId, UserId
from project.domain.model.storage import MIB, UNLIMITED, StorageQuota, StorageUsage, mib

KIB = 1024
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_an_archive_that_fits_is_admitted_up_to_the_last_byte() -> None:
    quota = StorageQuota(MIB)

    quota.admit(used=0, replacing=0, adding=MIB)
    quota.admit(used=MIB - 10, replacing=0, adding=10)


def test_one_byte_past_the_quota_is_refused_with_what_is_used_and_needed() -> None:
    quota = StorageQuota(MIB)

    with pytest.raises(StorageQuotaExceeded) as refused:
        quota.admit(used=512 * KIB, replacing=0, adding=512 * KIB + 1)

    assert refused.value.detail == (
        "Storage quota exceeded: 0.5 MiB of 1 MiB used, and this page needs 0.5 MiB."
    )
    assert (refused.value.used_bytes, refused.value.quota_bytes) == (512 * KIB, MIB)


def test_archiving_a_page_again_counts_only_what_it_adds_over_its_old_archive() -> None:
    quota = StorageQuota(MIB)
    # 900 KiB used, 600 KiB of it this page's old archive: a 700 KiB new one makes 1000 KiB.
    quota.admit(used=900 * KIB, replacing=600 * KIB, adding=700 * KIB)

    with pytest.raises(StorageQuotaExceeded):
        quota.admit(used=900 * KIB, replacing=100 * KIB, adding=700 * KIB)


def test_no_quota_admits_anything_and_reports_none() -> None:
    UNLIMITED.admit(used=10**15, replacing=0, adding=10**12)

    assert UNLIMITED.unlimited
    assert UNLIMITED.usage(42) == StorageUsage(used_bytes=42, quota_bytes=None)
    assert StorageQuota(MIB).usage(42) == StorageUsage(used_bytes=42, quota_bytes=MIB)


@pytest.mark.parametrize("limit", [0, -1])
def test_a_quota_is_positive_or_none(limit: int) -> None:
    with pytest.raises(InvalidInput):
        StorageQuota(limit)


@pytest.mark.parametrize(
    ("size", "shown"),
    [(0, "0"), (1, "0"), (MIB, "1"), (3 * MIB // 2, "1.5"), (1024 * MIB, "1024")],
)
def test_sizes_read_as_mib_to_one_decimal(size: int, shown: str) -> None:
    assert mib(size) == shown


_sizes = st.integers(min_value=0, max_value=2**40)


@given(limit=st.integers(min_value=1, max_value=2**40), used=_sizes, old=_sizes, new=_sizes)
def test_admitted_exactly_when_the_usage_after_stays_within_the_quota(
    limit: int, used: int, old: int, new: int
) -> None:
    fits = used - old + new <= limit
    try:
        StorageQuota(limit).admit(used=used, replacing=old, adding=new)
    except StorageQuotaExceeded:
        assert not fits
    else:
        assert fits


def test_recording_a_page_replaces_the_bytes_of_the_archive_before() -> None:
    bookmark = Bookmark.create(
        id=BookmarkId(uuid.uuid4()), owner_id=UserId(uuid.uuid4()), url="https://a.example/", at=T0
    )
    bookmark.record_page(PageMetadata(title="First"), T0, stored_bytes=700 * KIB)
    bookmark.record_page(PageMetadata(title="Again"), T0 + timedelta(hours=1), stored_bytes=KIB)

    assert (bookmark.archive_bytes, bookmark.page.title, bookmark.version) == (KIB, "Again", 3)
