"""Cryptographic ports of the second factor (REQUIREMENTS S7)."""

from __future__ import annotations

from typing import Protocol


class OneTimePasswords(Protocol):
    """RFC 6238 TOTP arithmetic: HMAC-SHA1, `TOTP_DIGITS` digits, steps of `TOTP_STEP`.

    Only the arithmetic: which steps a code may match, and that each is spent once, is the
    domain's decision (`TotpFactor.usable_steps`).
    """

    def new_secret(self) -> str:
        """A fresh random shared secret (>= 160 bits), base32 as authenticator apps take it."""
        ...

    def provisioning_uri(self, secret: str, *, account: str, issuer: str) -> str:
        """The `otpauth://totp/...` URI an authenticator app scans as a QR code."""
        ...

    def code_at(self, secret: str, step: int) -> str:
        """The code of the time step `step` (the RFC 6238 counter)."""
        ...


class SecretSealer(Protocol):
    """Authenticated encryption of secrets the service must read back (the TOTP secret).

    `context` binds a sealed value to its owner (a user id): opened under another context it
    fails, so a sealed secret copied onto another row is useless.
    """

    def seal(self, plaintext: str, *, context: str) -> str: ...
    def open(self, sealed: str, *, context: str) -> str:
        """The plaintext of a value this sealer (or one with a retired key it still holds)
        sealed under `context`.

        Raises:
            SecretUnreadable: tampered with, another context, or a key no longer configured.
        """
        ...
