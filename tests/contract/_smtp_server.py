"""A real SMTP server (aiosmtpd, in its own thread) that records what it receives."""

from __future__ import annotations

import socket
import ssl
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

HOST = "127.0.0.1"
USERNAME = "mailer"
PASSWORD = "relay password 123"


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes
    login: bytes | None
    over_tls: bool

    def message(self) -> EmailMessage:
        parsed = BytesParser(policy=policy.default).parsebytes(self.content)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class RecordingHandler:
    received: list[Received] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        auth = session.auth_data
        self.received.append(
            Received(
                mail_from=envelope.mail_from,
                rcpt_tos=list(envelope.rcpt_tos),
                content=envelope.original_content or envelope.content,
                login=auth.login if isinstance(auth, LoginPassword) else None,
                over_tls=session.ssl is not None  # STARTTLS
                or server.transport.get_extra_info("ssl_object") is not None,  # implicit
            )
        )
        return "250 Message accepted for delivery"


@dataclass(frozen=True)
class TlsFiles:
    certificate: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.certificate, self.key)
        return context

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.certificate))


def make_self_signed(directory: Path) -> TlsFiles:
    """A throwaway certificate for 127.0.0.1, made with the openssl command line tool."""
    files = TlsFiles(directory / "cert.pem", directory / "key.pem")
    subprocess.run(
        [
            "openssl", "req", "-x509", "-nodes", "-days", "1", "-subj", "/CN=localhost",
            "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout", str(files.key), "-out", str(files.certificate),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return files


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def _authenticate(
    server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
) -> AuthResult:
    good = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == USERNAME.encode()
        and auth_data.password == PASSWORD.encode()
    )
    return AuthResult(success=good, handled=False, auth_data=auth_data if good else None)


@contextmanager
def running_server(handler: RecordingHandler, **options: Any) -> Iterator[int]:
    """Serve on a free port of 127.0.0.1 until the block ends; yields the port."""
    controller = Controller(handler, hostname=HOST, port=free_port(), **options)
    controller.start()
    try:
        yield controller.port
    finally:
        controller.stop()


def starttls_options(tls: TlsFiles) -> dict[str, Any]:
    """A submission server: STARTTLS required, then a login (USERNAME / PASSWORD)."""
    return {
        "tls_context": tls.server_context(),
        "require_starttls": True,
        "auth_required": True,
        "authenticator": _authenticate,
    }


def implicit_tls_options(tls: TlsFiles) -> dict[str, Any]:
    """An SMTPS server (TLS from the first byte, as on port 465)."""
    return {"ssl_context": tls.server_context()}
