"""The caller's TOTP second factor on the wire (S7)."""

from __future__ import annotations

from typing import Annotated

import msgspec

from project.domain.model.second_factor import Enrolment, SecondFactorStatus
from project.entrypoints.http.schemas._base import InBody, OutBody, Password, SecondFactorCode

TotpCode = Annotated[str, msgspec.Meta(min_length=6, max_length=16, examples=["123456"])]


class ConfirmTotp(InBody):
    code: TotpCode
    """A current code from the authenticator app the secret was entered in."""


class DisableTotp(InBody):
    password: Password
    code: SecondFactorCode
    """A current code, or an unused recovery code."""


class RegenerateRecoveryCodes(InBody):
    code: SecondFactorCode
    """A current code, or an unused recovery code."""


class TotpStatusOut(OutBody):
    enabled: bool
    enrolment_started: bool
    required: bool
    """The account must use a second factor (instance setting or an admin's choice)."""
    recovery_codes_left: int

    @classmethod
    def of(cls, status: SecondFactorStatus) -> TotpStatusOut:
        return cls(
            enabled=status.enabled,
            enrolment_started=status.enrolment_started,
            required=status.required,
            recovery_codes_left=status.recovery_codes_left,
        )


class TotpEnrolmentOut(OutBody):
    """Shown once: enter `secret` in the authenticator app, or scan `otpauth_uri` as a QR code."""

    secret: str
    otpauth_uri: str

    @classmethod
    def of(cls, enrolment: Enrolment) -> TotpEnrolmentOut:
        return cls(secret=enrolment.secret, otpauth_uri=enrolment.uri)


class RecoveryCodesOut(OutBody):
    """Shown once: each code signs in once in place of an authenticator code."""

    recovery_codes: list[str]
