"""The key flows through the real console script: one line on failure, never a traceback."""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from project.domain.services.administration import AdministrationService

if TYPE_CHECKING:  # conftest is pytest's to import; only its type is borrowed here
    from conftest import Cli, MakeCli

PASSWORD = "a long passphrase 123\n"
BAD_DATABASE = "postgresql://postgres:secretpw@127.0.0.1:1/nope"


def test_admin_creation_duplicate_listing_and_unknown_user(
    cli: Cli, email: Callable[[str], str]
) -> None:
    admin = email("admin")
    made = cli("users", "create", admin, "--admin", "--password-stdin", input=PASSWORD)
    assert made.returncode == 0, made.stderr
    assert made.stderr == ""

    again = cli("users", "create", admin, "--admin", "--password-stdin", input=PASSWORD)
    assert again.returncode == 1
    assert again.stdout == ""
    assert cli.error_line(again) == "error: An account with this email address already exists."

    listed = cli("users", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    users = {user["email"]: user for user in json.loads(listed.stdout)}
    assert users[admin]["role"] == "admin"

    ghost = cli("users", "disable", "ghost@example.com")
    assert ghost.returncode == 1
    assert "ghost@example.com" in cli.error_line(ghost)


def test_python_dash_m_runs_the_same_command(sqlite_cli: Cli) -> None:
    for module in ("project.entrypoints.cli.main", "project.entrypoints.cli"):
        done = subprocess.run(
            [sys.executable, "-m", module, "users", "list", "--json"],
            capture_output=True,
            text=True,
            env=sqlite_cli.environ(),
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout) == []


def test_an_unreachable_database_is_one_line_without_its_password(make_cli: MakeCli) -> None:
    cli = make_cli(PROJECT_DATABASE_URL=BAD_DATABASE)
    for args in (["users", "list"], ["tokens", "list", "--user", "a@example.com"], ["audit"]):
        done = cli(*args)
        assert done.returncode == 4, done.stderr
        line = cli.error_line(done)
        assert line.startswith(
            "error: cannot reach the database at postgresql+asyncpg://postgres:***@"
        )
        assert "secretpw" not in done.stdout + done.stderr

    created = cli("users", "create", "a@example.com", "--password-stdin", input=PASSWORD)
    assert created.returncode == 4
    assert "secretpw" not in created.stdout + created.stderr


def test_a_bad_setting_is_a_configuration_error(make_cli: MakeCli) -> None:
    for setting, value, named in (
        ("PROJECT_PORT", "not-a-port", "PROJECT_PORT"),
        ("PROJECT_NO_SUCH_THING", "1", "PROJECT_NO_SUCH_THING"),
        ("PROJECT_DATABASE_URL", "mysql://root:secretpw@localhost/x", "PROJECT_DATABASE_URL"),
    ):
        cli = make_cli(**{setting: value})
        done = cli("users", "list")
        assert done.returncode == 3, done.stderr
        assert named in cli.error_line(done)
        assert "secretpw" not in done.stderr


def test_usage_errors_exit_2(sqlite_cli: Cli) -> None:
    assert sqlite_cli("users", "create").returncode == 2
    assert sqlite_cli("no-such-command").returncode == 2
    assert sqlite_cli("serve", "--workers", "2").returncode == 2


def test_an_unexpected_error_is_one_line_and_debug_shows_the_traceback(
    sqlite_cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom\nsecond line postgresql://u:secretpw@h/db")

    monkeypatch.setattr(AdministrationService, "list_users", broken)
    done = sqlite_cli.invoke("users", "list")
    assert done.exit_code == 70
    line = sqlite_cli.error_line(done)
    assert "RuntimeError: boom second line postgresql://u:***@h/db" in line
    assert "--debug" in line

    debug = sqlite_cli.invoke("--debug", "users", "list")
    assert debug.exit_code == 70
    assert "Traceback" in debug.stderr
    assert debug.stderr.strip().splitlines()[-1] == line


def _talk_through_a_terminal(cli: Cli, args: list[str], answers: list[str]) -> tuple[int, str]:
    """Run `project ARGS` on a pseudo-terminal, typing each answer after its prompt.

    A prompt is complete once its trailing space is out: click prints the text, then the
    reading function (getpass, with echo already off) prints the space and waits.
    """
    pid, fd = pty.fork()
    if pid == 0:  # the child: the terminal is its controlling terminal, as in a shell
        os.execve(cli.script, [str(cli.script), *args], cli.environ())  # noqa: S606
    screen = b""
    pending = list(answers)
    deadline = time.monotonic() + 30
    try:
        while (left := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                break
            try:
                chunk = os.read(fd, 1024)
            except OSError:  # the child is gone and closed the terminal
                break
            if not chunk:
                break
            screen += chunk
            if pending and screen.endswith((b": ", b"? ")):
                os.write(fd, pending.pop(0).encode() + b"\n")
                screen += b"<answered>"
    finally:
        status = _reap(pid)
        os.close(fd)
    return os.waitstatus_to_exitcode(status), screen.decode(errors="replace")


def _reap(pid: int, grace: float = 5.0) -> int:
    """Wait for the child; one still stuck (at a prompt) after `grace` seconds is killed."""
    until = time.monotonic() + grace
    while time.monotonic() < until:
        finished, status = os.waitpid(pid, os.WNOHANG)
        if finished:
            return status
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    return os.waitpid(pid, 0)[1]


def test_passwords_are_asked_twice_hidden_on_a_terminal(sqlite_cli: Cli) -> None:
    password = "typed at the prompt 77"
    code, screen = _talk_through_a_terminal(
        sqlite_cli, ["users", "create", "tty@example.com"], [password, password]
    )
    assert code == 0, screen
    assert "Password" in screen
    assert "Repeat for confirmation" in screen
    assert password not in screen  # hidden input is not echoed
    assert "created user tty@example.com" in screen

    code, screen = _talk_through_a_terminal(
        sqlite_cli, ["users", "delete", "tty@example.com"], ["n"]
    )
    assert code != 0, screen
    code, screen = _talk_through_a_terminal(
        sqlite_cli, ["users", "delete", "tty@example.com"], ["y"]
    )
    assert code == 0, screen
    assert "deleted tty@example.com" in screen
