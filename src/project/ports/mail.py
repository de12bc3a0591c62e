"""Outbound mail."""

from __future__ import annotations

from typing import Protocol

from project.domain.model.mail import OutgoingEmail


class Mailer(Protocol):
    async def send(self, message: OutgoingEmail) -> None:
        """Deliver or durably queue the message.

        Raises:
            MailDeliveryFailed: the message could not be handed on.
        """
        ...
