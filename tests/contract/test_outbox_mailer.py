"""What only the outbox mailer does: private files written whole, and a log line without secrets."""

from __future__ import annotations

import re
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

from structlog.testing import capture_logs

from project.adapters.fs import OutboxMailer
from project.domain.model.mail import OutgoingEmail

SECRET = "prt_Zm9vYmFyYmF6cXV4cXV1eA"
MESSAGE = OutgoingEmail(
    to="ann@example.com",
    subject="Reset your password",
    text=f"Hello Ann,\nOpen https://bookmarks.test/reset?token={SECRET} within 30 minutes.\n",
)


def _mailer(directory: Path) -> OutboxMailer:
    return OutboxMailer(directory, "noreply@bookmarks.test")


def _files(directory: Path) -> list[Path]:
    return sorted(directory.iterdir())


def _only_file(directory: Path) -> Path:
    (written,) = _files(directory)
    return written


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_a_message_is_one_eml_file_named_by_utc_time_and_a_random_suffix(
    tmp_path: Path,
) -> None:
    await _mailer(tmp_path).send(MESSAGE)

    name = _only_file(tmp_path).name
    match = re.fullmatch(r"(\d{8}T\d{6}\.\d{6}Z)-([0-9a-f]{12})\.eml", name)
    assert match is not None
    stamp = datetime.strptime(match[1], "%Y%m%dT%H%M%S.%fZ").replace(tzinfo=UTC)
    assert abs(datetime.now(UTC) - stamp) < timedelta(minutes=1)


async def test_the_outbox_directory_is_created_private(tmp_path: Path) -> None:
    outbox = tmp_path / "data" / "outbox"

    await _mailer(outbox).send(MESSAGE)

    assert _mode(outbox) == 0o700


async def test_each_message_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    await _mailer(tmp_path).send(MESSAGE)

    assert _mode(_only_file(tmp_path)) == 0o600


async def test_no_temporary_files_are_left_behind(tmp_path: Path) -> None:
    mailer = _mailer(tmp_path)

    for _ in range(3):
        await mailer.send(MESSAGE)

    assert [path.suffix for path in _files(tmp_path)] == [".eml"] * 3


async def test_the_log_line_names_recipient_subject_and_file(tmp_path: Path) -> None:
    with capture_logs() as logs:
        await _mailer(tmp_path).send(MESSAGE)

    written = _only_file(tmp_path)
    (entry,) = logs
    assert entry["log_level"] == "info"
    assert entry["to"] == MESSAGE.to
    assert entry["subject"] == MESSAGE.subject
    assert entry["path"] == str(written)


async def test_the_log_line_never_contains_the_body(tmp_path: Path) -> None:
    with capture_logs() as logs:
        await _mailer(tmp_path).send(MESSAGE)

    logged = repr(logs)
    assert SECRET not in logged
    assert "Hello Ann" not in logged
    assert SECRET in _read(_only_file(tmp_path))  # the file, and only it, has the link


async def test_a_long_link_is_written_as_is_for_the_operator_to_copy(tmp_path: Path) -> None:
    link = (
        f"https://bookmarks.test/reset-password?token={SECRET}&next=/a/very/long/path/" + "x" * 60
    )
    message = OutgoingEmail(to=MESSAGE.to, subject="Reset", text=f"Open:\n{link}\n")

    await _mailer(tmp_path).send(message)

    assert f"\n{link}\n" in _read(_only_file(tmp_path))
