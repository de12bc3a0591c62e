"""Outbound mail over SMTP (aiosmtplib)."""

from project.adapters.smtp.mailer import SmtpMailer

__all__ = ["SmtpMailer"]
