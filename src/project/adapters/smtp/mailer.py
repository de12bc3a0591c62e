"""Mail sent through an SMTP relay with aiosmtplib (production)."""

from __future__ import annotations

import ssl

import aiosmtplib

from project.adapters.smtp._message import compose
from project.domain.model.errors import MailDeliveryFailed
from project.domain.model.mail import OutgoingEmail

DEFAULT_TIMEOUT = 10.0


class SmtpMailer:
    """The `Mailer` port on an SMTP relay; one connection per message.

    `starttls` insists on the STARTTLS upgrade (so it cannot be stripped), `use_tls` speaks
    TLS from the first byte (port 465) and then needs no upgrade; with both off the mail goes
    in clear text, fit only for a relay on the same host. Credentials are refused unless one
    of them is on, so they never cross the network in clear text.
    Delivery failures raise `aiosmtplib.SMTPException` (connection, timeout, refusal).
    """

    def __init__(
        self,
        *,
        host: str,
        port: int,
        sender: str,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = True,
        use_tls: bool = False,
        timeout: float = DEFAULT_TIMEOUT,
        tls_context: ssl.SSLContext | None = None,
    ) -> None:
        if (username is None) != (password is None):
            raise ValueError("give both an SMTP username and password, or neither")
        if username is not None and not (use_tls or starttls):
            raise ValueError("SMTP credentials need use_tls or starttls")
        if timeout <= 0:
            raise ValueError("the SMTP timeout must be positive")
        self._host = host
        self._port = port
        self._sender = sender
        self._username = username
        self._password = password
        self._starttls = starttls and not use_tls
        self._use_tls = use_tls
        self._timeout = timeout
        self._tls_context = tls_context

    async def send(self, message: OutgoingEmail) -> None:
        try:
            await self._send(message)
        except (aiosmtplib.SMTPException, OSError) as error:
            raise MailDeliveryFailed(f"SMTP delivery failed: {type(error).__name__}") from error

    async def _send(self, message: OutgoingEmail) -> None:
        await aiosmtplib.send(
            compose(message, sender=self._sender),
            hostname=self._host,
            port=self._port,
            username=self._username,
            password=self._password,
            start_tls=self._starttls,
            use_tls=self._use_tls,
            timeout=self._timeout,
            tls_context=self._tls_context,
        )
