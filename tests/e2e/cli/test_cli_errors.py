"""The CLI's one mapping from exceptions to a one-line message and an exit code."""

from __future__ import annotations

import pytest

from project.domain.model.errors import EmailTaken, NotFound, WeakPassword
from project.entrypoints.cli._errors import describe, mask_credentials
from project.entrypoints.settings import SettingsError


class _DriverError(Exception):
    """What asyncpg raises: an exception carrying a SQLSTATE."""

    def __init__(self, message: str, sqlstate: str) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


def _caused(outer: Exception, cause: BaseException) -> Exception:
    outer.__cause__ = cause
    return outer


@pytest.mark.parametrize(
    ("error", "code", "says"),
    [
        (EmailTaken("An account with this email address already exists."), 1, "already exists"),
        (NotFound("No user with email a@b.example."), 1, "No user"),
        (WeakPassword("Password must be\nat least 10 characters."), 1, "must be at least"),
        (SettingsError("PROJECT_PORT: Expected `int`"), 3, "PROJECT_PORT"),
        (FileNotFoundError(2, "No such file or directory", "/nope/data"), 3, "/nope/data"),
        (ConnectionRefusedError(111, "Connect call failed"), 4, "cannot reach the database"),
        (
            _caused(RuntimeError("wrapped"), OSError("Multiple exceptions: [Errno 111]")),
            4,
            "[Errno 111]",
        ),
        (_DriverError('database "nope" does not exist', "3D000"), 4, '"nope" does not exist'),
        (_DriverError('password authentication failed for user "x"', "28P01"), 4, "password"),
        (_DriverError('relation "users" does not exist', "42P01"), 4, "project db upgrade"),
        (RuntimeError("boom"), 70, "unexpected RuntimeError: boom"),
    ],
)
def test_each_kind_of_failure_has_its_code(error: Exception, code: int, says: str) -> None:
    message, exit_code = describe(error)
    assert exit_code == code
    assert says in message
    assert "\n" not in message


def test_passwords_in_urls_are_masked_wherever_they_appear() -> None:
    text = "to postgresql+asyncpg://app:s3cr%40t@db:5432/x and redis://:pw@cache/0 failed"
    assert mask_credentials(text) == (
        "to postgresql+asyncpg://app:***@db:5432/x and redis://:***@cache/0 failed"
    )
    assert "hunter2" not in describe(RuntimeError("postgresql://u:hunter2@h/d"))[0]
