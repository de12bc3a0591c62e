"""Registration, login, token refresh and password flows on the wire."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from project.domain.model.ids import SessionId
from project.domain.model.sessions import Session
from project.domain.model.tokens import TokenPair
from project.entrypoints.http.schemas._base import (
    DisplayName,
    Email,
    InBody,
    OutBody,
    Password,
    SecondFactorCode,
    Secret,
)


class Register(InBody):
    email: Email
    password: Password
    display_name: DisplayName | None = None
    invite: Secret | None = None


class Login(InBody):
    email: Email
    password: Password
    second_factor: SecondFactorCode | None = None
    """A current TOTP code or an unused recovery code, for accounts with a second factor."""


class Refresh(InBody):
    refresh_token: Secret


class ChangePassword(InBody):
    current_password: Password
    new_password: Password


class ResetRequest(InBody):
    email: Email


class ResetConfirm(InBody):
    token: Secret
    new_password: Password


class TokenPairOut(OutBody):
    access_token: str
    refresh_token: str
    expires_in: int
    session_id: UUID
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 (a scheme name, not a secret)

    @classmethod
    def of(cls, pair: TokenPair) -> TokenPairOut:
        return cls(
            access_token=pair.access_token,
            refresh_token=pair.refresh_token,
            expires_in=pair.expires_in,
            session_id=pair.session_id,
        )


class Accepted(OutBody):
    detail: str


class LoggedOut(OutBody):
    ended: int


class SessionOut(OutBody):
    id: UUID
    created_at: datetime
    last_used_at: datetime
    user_agent: str
    ip: str
    current: bool

    @classmethod
    def of(cls, session: Session, *, current: SessionId | None) -> SessionOut:
        return cls(
            id=session.id,
            created_at=session.created_at,
            last_used_at=session.last_used_at,
            user_agent=session.user_agent,
            ip=session.ip,
            current=session.id == current,
        )


class SessionList(OutBody):
    items: list[SessionOut]


class AccessTokenOut(OutBody):
    """Browser mode: the access token for memory only; the refresh token went in a cookie."""

    access_token: str
    expires_in: int
    session_id: UUID
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 (a scheme name, not a secret)

    @classmethod
    def of(cls, pair: TokenPair) -> AccessTokenOut:
        return cls(
            access_token=pair.access_token,
            expires_in=pair.expires_in,
            session_id=pair.session_id,
        )


class CsrfTokenOut(OutBody):
    """The double-submit token: also in the `__Host-` cookie; send it as `X-CSRF-Token`."""

    csrf_token: str
    header_name: str
