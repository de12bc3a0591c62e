"""The `project` command, run for real: in subprocesses, and in-process through Typer's runner.

Every run gets a clean `PROJECT_*` environment: a temporary data directory (embedded SQLite)
or a PostgreSQL database, and nothing inherited from the developer's shell.

Tests get everything through fixtures (`cli`, `sqlite_cli`, `make_cli`, ...) and import this
module only for types, under TYPE_CHECKING: at run time the bare name `conftest` may be
another directory's.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Protocol

import pytest
from typer.testing import CliRunner, Result

from project.entrypoints.cli.main import app

CONSOLE_SCRIPT = Path(sys.executable).parent / "project"
COMMAND_TIMEOUT = 60


@dataclass(frozen=True)
class Cli:
    """Runs `project ...` against one configured instance, either way."""

    settings: Mapping[str, str]
    backend: str
    runner: CliRunner = field(default_factory=CliRunner)
    script: ClassVar[Path] = CONSOLE_SCRIPT

    def environ(self, **extra: str) -> dict[str, str]:
        """This process's environment without any PROJECT_* variable, plus the settings."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("PROJECT_")}
        env.update(self.settings)
        env.update(extra)
        return env

    def __call__(self, *args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
        """A real `project` process (the console script)."""
        return subprocess.run(
            [str(self.script), *args],
            input=input,
            capture_output=True,
            text=True,
            env=self.environ(),
            timeout=COMMAND_TIMEOUT,
            check=False,
        )

    @staticmethod
    def error_line(outcome: subprocess.CompletedProcess[str] | Result) -> str:
        """Assert that a command failed with exactly one `error: ...` line and no traceback."""
        if isinstance(outcome, subprocess.CompletedProcess):
            assert outcome.returncode != 0
        else:
            assert outcome.exit_code != 0
        lines = outcome.stderr.splitlines()
        assert len(lines) == 1, outcome.stderr
        assert lines[0].startswith("error: "), outcome.stderr
        assert "Traceback" not in outcome.stdout + outcome.stderr
        return lines[0]

    def invoke(self, *args: str, input: str | None = None) -> Result:
        """The same command in this process (fast); the environment is set for the call."""
        saved = {k: v for k, v in os.environ.items() if k.startswith("PROJECT_")}
        for key in saved:
            del os.environ[key]
        try:
            return self.runner.invoke(app, list(args), input=input, env=dict(self.settings))
        finally:
            os.environ.update(saved)


def unique_email(name: str) -> str:
    """An address no other test in a shared database uses."""
    return f"{name}-{secrets.token_hex(4)}@example.com"


class MakeCli(Protocol):
    def __call__(self, **settings: str) -> Cli: ...


@pytest.fixture
def make_cli(tmp_path: Path) -> MakeCli:
    """A CLI with these PROJECT_* settings (the data directory defaults to a temporary one)."""

    def make(**settings: str) -> Cli:
        settings.setdefault("PROJECT_DATA_DIR", str(tmp_path / "data"))
        backend = "postgres" if "PROJECT_DATABASE_URL" in settings else "sqlite"
        return Cli(settings=settings, backend=backend)

    return make


@pytest.fixture
def sqlite_cli(make_cli: MakeCli) -> Cli:
    return make_cli()


@pytest.fixture(scope="session")
def migrated_postgres_url(postgres_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The session's PostgreSQL database, migrated by `project db upgrade` itself."""
    data = tmp_path_factory.mktemp("pg-data")
    cli = Cli(
        settings={"PROJECT_DATA_DIR": str(data), "PROJECT_DATABASE_URL": postgres_url},
        backend="postgres",
    )
    done = cli("db", "upgrade")
    assert done.returncode == 0, done.stderr
    return postgres_url


@pytest.fixture
def postgres_cli(make_cli: MakeCli, migrated_postgres_url: str) -> Cli:
    return make_cli(PROJECT_DATABASE_URL=migrated_postgres_url)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def cli(request: pytest.FixtureRequest) -> Cli:
    """The CLI against each database: embedded SQLite, and PostgreSQL."""
    cli: Cli = request.getfixturevalue(f"{request.param}_cli")
    return cli


@pytest.fixture
def email() -> Callable[[str], str]:
    return unique_email
