"""What only the SMTP mailer does: envelopes, TLS, credentials, and failing fast."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator

import aiosmtplib
import pytest

from project.adapters.smtp import SmtpMailer
from project.domain.model.errors import MailDeliveryFailed
from project.domain.model.mail import OutgoingEmail
from tests.contract._smtp_server import (
    HOST,
    PASSWORD,
    USERNAME,
    RecordingHandler,
    TlsFiles,
    free_port,
    implicit_tls_options,
    make_self_signed,
    running_server,
    starttls_options,
)

SENDER = "Bookmarks <noreply@bookmarks.test>"
MESSAGE = OutgoingEmail(to="ann@example.com", subject="Reset", text="Your link.\n")


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    return make_self_signed(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def handler() -> RecordingHandler:
    return RecordingHandler()


@pytest.fixture
def plain_port(handler: RecordingHandler) -> Iterator[int]:
    with running_server(handler) as port:
        yield port


@pytest.fixture
async def mute_port() -> AsyncIterator[int]:
    """A port that accepts connections and never says a word (no SMTP greeting)."""
    held: list[asyncio.StreamWriter] = []

    def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(hold, HOST, 0)
    async with server:
        yield server.sockets[0].getsockname()[1]
    for writer in held:
        writer.close()


def _mailer(
    port: int,
    *,
    starttls: bool = False,
    use_tls: bool = False,
    username: str | None = None,
    password: str | None = None,
    tls: TlsFiles | None = None,
    timeout: float = 5.0,
) -> SmtpMailer:
    return SmtpMailer(
        host=HOST,
        port=port,
        sender=SENDER,
        username=username,
        password=password,
        starttls=starttls,
        use_tls=use_tls,
        timeout=timeout,
        tls_context=tls.client_context() if tls else None,
    )


async def test_the_envelope_names_the_sender_address_and_the_recipient(
    plain_port: int, handler: RecordingHandler
) -> None:
    await _mailer(plain_port).send(MESSAGE)

    (received,) = handler.received
    assert received.mail_from == "noreply@bookmarks.test"
    assert received.rcpt_tos == ["ann@example.com"]
    assert not received.over_tls


async def test_a_closed_port_fails_at_once_with_a_connection_error() -> None:
    started = time.monotonic()

    with pytest.raises(MailDeliveryFailed) as caught:
        await _mailer(free_port()).send(MESSAGE)

    assert isinstance(caught.value.__cause__, aiosmtplib.SMTPConnectError)
    assert str(HOST) in str(caught.value.__cause__)

    assert time.monotonic() - started < 5


async def test_a_server_that_never_answers_times_out_instead_of_hanging(mute_port: int) -> None:
    async with asyncio.timeout(10):
        with pytest.raises(MailDeliveryFailed) as caught:
            await _mailer(mute_port, timeout=0.5).send(MESSAGE)
    assert isinstance(caught.value.__cause__, aiosmtplib.SMTPTimeoutError)


async def test_starttls_cannot_be_stripped_by_a_server_that_does_not_offer_it(
    plain_port: int, handler: RecordingHandler
) -> None:
    with pytest.raises(MailDeliveryFailed) as caught:
        await _mailer(plain_port, starttls=True).send(MESSAGE)

    assert "STARTTLS" in str(caught.value.__cause__)

    assert handler.received == []


async def test_mail_is_submitted_over_starttls_with_a_login(
    tls: TlsFiles, handler: RecordingHandler
) -> None:
    with running_server(handler, **starttls_options(tls)) as port:
        mailer = _mailer(port, starttls=True, username=USERNAME, password=PASSWORD, tls=tls)
        await mailer.send(MESSAGE)

    (received,) = handler.received
    assert received.over_tls
    assert received.login == USERNAME.encode()


async def test_a_wrong_password_fails_with_an_authentication_error(
    tls: TlsFiles, handler: RecordingHandler
) -> None:
    with running_server(handler, **starttls_options(tls)) as port:
        mailer = _mailer(port, starttls=True, username=USERNAME, password="wrong", tls=tls)
        with pytest.raises(MailDeliveryFailed) as caught:
            await mailer.send(MESSAGE)
        assert isinstance(caught.value.__cause__, aiosmtplib.SMTPAuthenticationError)

    assert handler.received == []


async def test_mail_is_sent_over_implicit_tls_which_needs_no_starttls(
    tls: TlsFiles, handler: RecordingHandler
) -> None:
    with running_server(handler, **implicit_tls_options(tls)) as port:
        await _mailer(port, use_tls=True, starttls=True, tls=tls).send(MESSAGE)

    (received,) = handler.received
    assert received.over_tls


async def test_an_untrusted_certificate_is_refused(
    tls: TlsFiles, handler: RecordingHandler
) -> None:
    with (
        running_server(handler, **implicit_tls_options(tls)) as port,
        pytest.raises(MailDeliveryFailed) as caught,
    ):
        await _mailer(port, use_tls=True).send(MESSAGE)  # trusts the system CAs only

    assert isinstance(caught.value.__cause__, aiosmtplib.SMTPConnectError)

    assert handler.received == []


def test_credentials_without_tls_are_refused() -> None:
    with pytest.raises(ValueError, match="use_tls or starttls"):
        _mailer(25, username=USERNAME, password=PASSWORD)


def test_a_username_without_a_password_is_refused() -> None:
    with pytest.raises(ValueError, match="username and password"):
        _mailer(25, starttls=True, username=USERNAME)
