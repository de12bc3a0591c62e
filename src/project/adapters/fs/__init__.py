"""Adapters on the local filesystem."""

from project.adapters.fs.outbox_mailer import OutboxMailer

__all__ = ["OutboxMailer"]
