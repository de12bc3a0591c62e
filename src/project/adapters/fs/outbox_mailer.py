"""Mail written to a directory of .eml files: the embedded default, read by the operator."""

from __future__ import annotations

import asyncio
import os
import secrets
import tempfile
from datetime import UTC, datetime
from email import policy
from pathlib import Path

import structlog

from project.adapters.fs._message import compose
from project.domain.model.mail import OutgoingEmail

_log = structlog.get_logger(__name__)
# Headers in raw UTF-8 (RFC 6532) rather than encoded words: the operator reads these files.
_READABLE = policy.default.clone(utf8=True)


class OutboxMailer:
    """The `Mailer` port as an outbox directory (mode 0700: reset links are secrets).

    Each message lands whole or not at all: it is written to a hidden temporary file in the
    same directory, then renamed to `<UTC timestamp>-<random>.eml`. The log line names the
    recipient, subject and file, never the body.
    """

    def __init__(self, directory: Path, sender: str) -> None:
        self._directory = Path(directory)
        self._sender = sender

    async def send(self, message: OutgoingEmail) -> None:
        data = compose(message, sender=self._sender).as_bytes(policy=_READABLE)
        path = await asyncio.to_thread(self._write, data)
        _log.info("mail_written_to_outbox", to=message.to, subject=message.subject, path=str(path))

    def _write(self, data: bytes) -> Path:
        self._directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
        path = self._directory / f"{stamp}-{secrets.token_hex(6)}.eml"
        descriptor, temporary = tempfile.mkstemp(dir=self._directory, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return path
