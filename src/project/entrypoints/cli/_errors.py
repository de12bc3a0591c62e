"""The one place where the CLI turns an exception into one line on stderr and an exit code.

Exit codes: 0 success; 1 the request was refused (a domain error: bad input, unknown user,
duplicate email ...); 2 usage (Typer's own, and a missing password or confirmation);
3 configuration (a bad `PROJECT_*` setting); 4 the database cannot be reached; 70 a bug
(an unexpected exception). `--debug` or `PROJECT_DEBUG=1` adds the traceback.
"""

from __future__ import annotations

import re
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import typer

from project.domain.model.errors import DomainError
from project.entrypoints.settings import SettingsError

DOMAIN = 1
USAGE = 2
CONFIGURATION = 3
DATABASE_UNREACHABLE = 4
INTERNAL = 70

# Set by the runner once settings are loaded, so a connection error can name the database.
database_in_use: ContextVar[str | None] = ContextVar("database_in_use", default=None)

# SQLSTATE classes that mean "no working connection": 08 connection exception,
# 28 invalid authorization, 3D unknown database, 53 insufficient resources, 57P0x shutdown.
_UNREACHABLE_SQLSTATES = ("08", "28", "3D", "53", "57P")
_CREDENTIALS = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)(?P<user>[^:/@\s]*):[^@\s]*@", re.I)


class UsageProblem(Exception):
    """The command line cannot be carried out as given (exit code 2, one line)."""


@contextmanager
def reported(*, debug: bool) -> Iterator[None]:
    """Let Typer's own exceptions through; end every other one in one line and an exit code."""
    try:
        yield
    except (typer.Exit, typer.Abort, typer.TyperException):  # Typer's own: usage errors, exits
        raise
    except Exception as error:
        raise typer.Exit(report(error, debug=debug)) from None


def report(error: BaseException, *, debug: bool) -> int:
    """Print the error's one line (after its traceback under `--debug`); return the exit code."""
    message, code = describe(error)
    if debug:
        traceback.print_exception(error, file=sys.stderr)
    typer.echo(f"error: {message}", err=True)
    return code


def describe(error: BaseException) -> tuple[str, int]:
    """The one-line message and the exit code for an exception."""
    if isinstance(error, DomainError):
        return _one_line(error.detail), DOMAIN
    if isinstance(error, UsageProblem):
        return _one_line(str(error)), USAGE
    if isinstance(error, SettingsError):
        return _one_line(str(error)), CONFIGURATION
    if _is_missing_schema(error):
        return _missing_schema(), DATABASE_UNREACHABLE
    if is_unreachable(error):
        return _unreachable(error), DATABASE_UNREACHABLE
    if isinstance(error, OSError) and error.filename is not None:
        return _one_line(f"cannot use {error.filename}: {error.strerror}"), CONFIGURATION
    name = type(error).__name__
    return (
        _one_line(f"unexpected {name}: {error} (run with --debug for the traceback)"),
        INTERNAL,
    )


def is_unreachable(error: BaseException) -> bool:
    """True for the errors a driver raises when it cannot get a working connection."""
    for cause in _chain(error):
        if isinstance(cause, OSError) and cause.filename is None:
            return True  # refused, unreachable host, unknown name, timeout
        sqlstate = getattr(cause, "sqlstate", None)
        if isinstance(sqlstate, str) and sqlstate.startswith(_UNREACHABLE_SQLSTATES):
            return True
        if type(cause).__name__ in {"OperationalError", "InterfaceError"}:
            return True  # SQLAlchemy's wrappers: refused, unknown host, unopenable SQLite file
    return False


def _is_missing_schema(error: BaseException) -> bool:
    for cause in _chain(error):
        if getattr(cause, "sqlstate", None) == "42P01" or "no such table" in str(cause):
            return True
    return False


def mask_credentials(text: str) -> str:
    """Replace the password of every URL in `text` with `***`."""
    return _CREDENTIALS.sub(r"\g<scheme>\g<user>:***@", text)


def _unreachable(error: BaseException) -> str:
    where = database_in_use.get()
    reason = _root_reason(error)
    target = f" at {where}" if where else ""
    return _one_line(f"cannot reach the database{target}: {reason}")


def _missing_schema() -> str:
    where = database_in_use.get()
    target = f" at {where}" if where else ""
    return f"the database{target} lacks tables this version needs; run: project db upgrade"


def _root_reason(error: BaseException) -> str:
    innermost = list(_chain(error))[-1]
    text = str(innermost).split("\n")[0].strip()
    # SQLAlchemy appends "(Background on this error at: ...)"; the driver's words suffice.
    text = re.sub(r"^\([\w.]+\)\s*", "", text)
    return text or type(innermost).__name__


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _one_line(text: str) -> str:
    return mask_credentials(" ".join(text.split()))
