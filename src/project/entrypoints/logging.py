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


def configure_logging(settings: Settings) -> None:
    json_lines = settings.log_json if settings.log_json is not None else settings.is_production
    level = logging.getLevelNamesMapping().get(settings.log_level.upper(), logging.INFO)
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if json_lines
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            redact_secrets,
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=True,
    )
    logging.basicConfig(
        level=level, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s"
    )
    # Libraries that log every job or every broken PDF at INFO: keep their warnings only.
    for noisy in ("saq", "pypdf", "trafilatura"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))
