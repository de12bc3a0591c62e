"""The Mailer contract, run against the outbox directory and a real SMTP server."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest

from project.adapters.fs import OutboxMailer
from project.adapters.smtp import SmtpMailer
from project.domain.model.mail import OutgoingEmail
from project.ports.mail import Mailer
from tests.contract._smtp_server import HOST, RecordingHandler, running_server

SENDER = "Bookmarks <noreply@bookmarks.test>"
MESSAGE = OutgoingEmail(
    to="zoë.ann@example.com",
    subject="Réinitialisation du mot de passe ✓",
    text="Grüße, Zoë!\nOpen https://bookmarks.test/reset?token=prt_s3cr3t&x=1 — 東京\n",
)


@dataclass(frozen=True)
class MailerHarness:
    mailer: Mailer
    delivered: Callable[[], list[EmailMessage]]


@pytest.fixture(scope="module")
def smtp_server() -> Iterator[tuple[int, RecordingHandler]]:
    handler = RecordingHandler()
    with running_server(handler, enable_SMTPUTF8=True) as port:
        yield port, handler


def _outbox(tmp_path: Path) -> MailerHarness:
    directory = tmp_path / "outbox"

    def delivered() -> list[EmailMessage]:
        parser = BytesParser(policy=policy.default)
        paths = sorted(directory.glob("*.eml")) if directory.exists() else []
        return [_email(parser.parsebytes(path.read_bytes())) for path in paths]

    return MailerHarness(OutboxMailer(directory, SENDER), delivered)


def _smtp(port: int, handler: RecordingHandler) -> MailerHarness:
    handler.received.clear()
    mailer = SmtpMailer(host=HOST, port=port, sender=SENDER, starttls=False, timeout=5)
    return MailerHarness(mailer, lambda: [received.message() for received in handler.received])


@pytest.fixture(params=["outbox", "smtp"])
def harness(request: pytest.FixtureRequest, tmp_path: Path) -> MailerHarness:
    if request.param == "outbox":
        return _outbox(tmp_path)
    port, handler = request.getfixturevalue("smtp_server")
    return _smtp(port, handler)


def _email(message: object) -> EmailMessage:
    assert isinstance(message, EmailMessage)
    return message


def _body(message: EmailMessage) -> str:
    return str(message.get_content()).replace("\r\n", "\n")


async def test_a_message_reaches_its_recipient_with_its_subject(harness: MailerHarness) -> None:
    await harness.mailer.send(MESSAGE)

    (delivered,) = harness.delivered()
    assert delivered["To"] == MESSAGE.to
    assert delivered["Subject"] == MESSAGE.subject


async def test_the_body_arrives_intact_as_utf8_plain_text(harness: MailerHarness) -> None:
    await harness.mailer.send(MESSAGE)

    (delivered,) = harness.delivered()
    assert delivered.get_content_type() == "text/plain"
    assert delivered.get_content_charset() == "utf-8"
    assert _body(delivered) == MESSAGE.text


async def test_a_message_says_who_sent_it_and_when(harness: MailerHarness) -> None:
    await harness.mailer.send(MESSAGE)

    (delivered,) = harness.delivered()
    sent_at = parsedate_to_datetime(delivered["Date"])
    assert delivered["From"] == SENDER
    assert sent_at.utcoffset() == timedelta(0)
    assert abs(datetime.now(UTC) - sent_at) < timedelta(minutes=1)


async def test_each_message_gets_its_own_message_id_on_the_sender_domain(
    harness: MailerHarness,
) -> None:
    await harness.mailer.send(MESSAGE)
    await harness.mailer.send(MESSAGE)

    ids = [delivered["Message-ID"] for delivered in harness.delivered()]
    assert all(re.fullmatch(r"<[^<>@\s]+@bookmarks\.test>", message_id) for message_id in ids)
    assert len(set(ids)) == 2


async def test_concurrent_messages_are_each_delivered_once(harness: MailerHarness) -> None:
    subjects = {f"Message {n}" for n in range(5)}

    await asyncio.gather(
        *(
            harness.mailer.send(OutgoingEmail(to=MESSAGE.to, subject=s, text="Hi\n"))
            for s in subjects
        )
    )

    assert sorted(delivered["Subject"] for delivered in harness.delivered()) == sorted(subjects)


@pytest.mark.parametrize(
    "message",
    [
        OutgoingEmail(to=MESSAGE.to, subject="Hi\r\nBcc: victim@example.com", text="x\n"),
        OutgoingEmail(to=f"{MESSAGE.to}\nBcc: victim@example.com", subject="Hi", text="x\n"),
    ],
    ids=["subject", "recipient"],
)
async def test_a_header_with_a_line_break_is_refused_and_nothing_is_sent(
    harness: MailerHarness, message: OutgoingEmail
) -> None:
    with pytest.raises(ValueError, match="linefeed"):
        await harness.mailer.send(message)

    assert harness.delivered() == []
