"""The knobs of the auth service that operators set; validated once when settings load."""

from __future__ import annotations

import msgspec

from project.domain.model.registration import RegistrationMode
from project.domain.model.second_factor import TotpRequirement
from project.domain.model.sessions import SessionPolicy


class AuthConfig(msgspec.Struct, frozen=True, kw_only=True):
    sessions: SessionPolicy = msgspec.field(default_factory=SessionPolicy)
    registration: RegistrationMode = RegistrationMode.OPEN
    public_url: str = "http://127.0.0.1:8000"
    """Base of links put in mail (password reset); no trailing slash."""
    totp_requirement: TotpRequirement = TotpRequirement.NONE
    """Who must sign in with a second factor besides the accounts an admin flagged (S7)."""
