"""The wall clock and the UUIDv7 generator."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime

from project.adapters.system import SystemClock, Uuid7Generator


def test_the_clock_tells_aware_utc_time() -> None:
    now = SystemClock().now()

    assert now.tzinfo is UTC


def test_the_clock_agrees_with_the_system_time() -> None:
    before = datetime.now(UTC)
    now = SystemClock().now()
    after = datetime.now(UTC)

    assert before <= now <= after


def test_ids_are_standard_library_version_7_uuids() -> None:
    new_id = Uuid7Generator().new_id()

    assert type(new_id) is uuid.UUID
    assert new_id.version == 7
    assert new_id.variant == uuid.RFC_4122


def test_ids_are_unique_and_sort_in_creation_order() -> None:
    generator = Uuid7Generator()

    ids = [generator.new_id() for _ in range(10_000)]

    assert len(set(ids)) == len(ids)
    assert ids == sorted(ids)


def test_an_id_embeds_its_creation_time_in_milliseconds() -> None:
    before_ms = time.time_ns() // 1_000_000
    new_id = Uuid7Generator().new_id()
    after_ms = time.time_ns() // 1_000_000

    assert before_ms <= new_id.int >> 80 <= after_ms
