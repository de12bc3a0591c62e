"""structlog configuration: JSON lines in production, readable lines in development.

A redaction processor drops any field whose name says it holds a credential, as a last line
of defence behind the rule that code never logs one (REQUIREMENTS S32).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog

from project.entrypoints.settings import Settings

_SECRET_WORDS = ("password", "token", "secret", "authorization", "cookie", "api_key")
REDACTED = "[redacted]"


def redact_secrets(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    for key in list(event):
        if any(word in key.lower() for word in _SECRET_WORDS):
            event[key] = REDACTED
    return event


class _StderrLogger:
    """Writes each rendered line to whatever `sys.stderr` is at the time, so a command run in
    process (Typer's test runner swaps the streams) never writes to a closed one, and log
    lines never mix with a command's output on stdout."""

    def __init__(self, *_: Any) -> None:
        pass

    def msg(self, message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    log = debug = info = warn = warning = err = error = critical = exception = fatal = msg


class _StderrHandler(logging.StreamHandler):
    """The standard library's twin of `_StderrLogger`: the current `sys.stderr`, always."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _: Any) -> None:
        pass


def _processors() -> list[Any]:
    """Every event gets the request's context (request id, user id), its level, a UTC time,
    secrets redacted and exceptions formatted; the renderer comes last, per destination."""
    return [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        redact_secrets,
        structlog.processors.format_exc_info,
    ]


def configure_logging(settings: Settings, *, at_least: int = logging.NOTSET) -> None:
    """Set up structlog and the standard library's logging from the settings; `at_least`
    raises the level (one-shot CLI commands log warnings only, their output is the answer)."""
    json_lines = settings.log_json if settings.log_json is not None else settings.is_production
    level = logging.getLevelNamesMapping().get(settings.log_level.upper(), logging.INFO)
    level = max(level, at_least)
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if json_lines
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[*_processors(), renderer],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        # Not cached: a logger bound once would ignore later configuration (tests that
        # capture logs, a command run in process after another).
        logger_factory=_StderrLogger,
        cache_logger_on_first_use=False,
    )
    logging.basicConfig(
        level=level,
        format="%(levelname)s %(name)s: %(message)s",
        handlers=[_StderrHandler()],
        force=True,
    )
    # Libraries that log every job or every broken PDF at INFO: keep their warnings only.
    for noisy in ("saq", "pypdf", "trafilatura"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))


def log_through_stdlib_unless_configured() -> None:
    """Inside someone else's program (`import project`), send our log events to the standard
    library's `logging`, which that program configures, instead of structlog's default of
    printing every event to stdout. The CLI and the server configure structlog themselves."""
    if structlog.is_configured():
        return
    structlog.configure(
        processors=[*_processors(), structlog.processors.KeyValueRenderer(key_order=["event"])],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )
