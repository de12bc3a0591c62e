from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

from project.domain.model.mail import OutgoingEmail


def compose(message: OutgoingEmail, *, sender: str) -> EmailMessage:
    """A plain-text UTF-8 message; a header with a line break raises ValueError.

    As in `project.adapters.smtp._message` (adapter families share no code), except that
    the body is stored as 8-bit text: an operator opens these files to copy the links out,
    and quoted-printable would break long links (`=3D`, soft line breaks).
    """
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to
    email["Subject"] = message.subject
    email["Date"] = format_datetime(datetime.now(UTC))
    # An explicit domain: make_msgid would otherwise ask DNS for this host's FQDN.
    email["Message-ID"] = make_msgid(domain=_domain(sender))
    email.set_content(message.text, charset="utf-8", cte="8bit")
    return email


def _domain(address: str) -> str:
    return parseaddr(address)[1].rpartition("@")[2] or "localhost"
