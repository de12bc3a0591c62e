"""Archive jobs: exponential backoff, Retry-After honoured, five attempts, then failed."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from project.domain.model.archiving import (
    BASE_BACKOFF,
    MAX_ATTEMPTS,
    MAX_BACKOFF,
    ArchiveJob,
    ArchiveJobStatus,
)
from project.domain.model.ids import BookmarkId, UserId

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _job() -> ArchiveJob:
    return ArchiveJob.new(BookmarkId(uuid.uuid4()), UserId(uuid.uuid4()), T0)


def test_a_new_job_is_pending_and_due_at_once() -> None:
    job = _job()

    assert (job.status, job.attempts, job.next_attempt_at) == (ArchiveJobStatus.PENDING, 0, T0)


def test_transient_failures_back_off_exponentially() -> None:
    job = _job()
    waits = []
    for _ in range(MAX_ATTEMPTS - 1):
        assert job.retry_later("timeout", T0, retry_after_seconds=None) is True
        waits.append(job.next_attempt_at - T0)

    assert waits == [BASE_BACKOFF * 2**n for n in range(MAX_ATTEMPTS - 1)]
    assert job.status is ArchiveJobStatus.PENDING


def test_the_fifth_transient_failure_fails_the_job_with_its_reason() -> None:
    job = _job()
    for _ in range(MAX_ATTEMPTS - 1):
        job.retry_later("the server answered 503", T0, retry_after_seconds=None)

    assert job.retry_later("the server answered 503", T0, retry_after_seconds=None) is False
    assert (job.status, job.last_error) == (ArchiveJobStatus.FAILED, "the server answered 503")


def test_a_retry_after_longer_than_the_backoff_is_honoured() -> None:
    job = _job()

    job.retry_later("429", T0, retry_after_seconds=120)

    assert job.next_attempt_at == T0 + timedelta(seconds=120)


def test_a_retry_after_shorter_than_the_backoff_does_not_hurry_it() -> None:
    job = _job()

    job.retry_later("429", T0, retry_after_seconds=1)

    assert job.next_attempt_at == T0 + BASE_BACKOFF


def test_backoff_is_capped() -> None:
    job = _job()
    job.attempts = 2
    job.retry_later("x", T0, retry_after_seconds=None, base_backoff=timedelta(hours=10))

    assert job.next_attempt_at - T0 == MAX_BACKOFF


def test_a_permanent_failure_ends_at_once_and_a_restart_starts_over() -> None:
    job = _job()
    job.fail("Fetch blocked: 127.0.0.1 is not a public address", T0)
    assert job.status is ArchiveJobStatus.FAILED

    job.restart(T0 + timedelta(minutes=1))

    assert (job.status, job.attempts, job.last_error) == (ArchiveJobStatus.PENDING, 0, None)
