"""The `OneTimePasswords` port on PyOTP: HMAC-SHA1, 6 digits, 30-second steps (RFC 6238)."""

from __future__ import annotations

import pyotp

from project.domain.model.second_factor import TOTP_DIGITS, TOTP_STEP

SECRET_LENGTH = 32  # base32 characters: 160 bits, the HMAC-SHA1 key size RFC 4226 advises


class PyotpOneTimePasswords:
    def new_secret(self) -> str:
        return pyotp.random_base32(SECRET_LENGTH)  # drawn from the system's CSPRNG

    def provisioning_uri(self, secret: str, *, account: str, issuer: str) -> str:
        return _totp(secret).provisioning_uri(name=account, issuer_name=issuer)

    def code_at(self, secret: str, step: int) -> str:
        return _totp(secret).generate_otp(step)


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret, digits=TOTP_DIGITS, interval=int(TOTP_STEP.total_seconds()))
