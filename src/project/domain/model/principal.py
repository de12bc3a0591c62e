"""Who is calling, as established by an access JWT or a personal API token."""

from __future__ import annotations

from datetime import datetime

import msgspec

from project.domain.model.errors import PermissionDenied, SecondFactorEnrolmentRequired
from project.domain.model.ids import ApiTokenId, SessionId, UserId
from project.domain.model.tokens import Scope
from project.domain.model.users import Role

ALL_SCOPES = frozenset(Scope)


class Principal(msgspec.Struct, frozen=True, kw_only=True):
    user_id: UserId
    role: Role
    session_id: SessionId | None = None
    api_token_id: ApiTokenId | None = None
    scopes: frozenset[Scope] = ALL_SCOPES
    must_enrol_second_factor: bool = False
    """The account has to use a second factor and has none yet (S7): until it enrols, the
    caller may only enrol, read their account and sign out."""

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def require(self, scope: Scope) -> None:
        if scope not in self.scopes:
            raise PermissionDenied(f"This token lacks the '{scope}' scope.")

    def require_second_factor_enrolled(self) -> None:
        if self.must_enrol_second_factor:
            raise SecondFactorEnrolmentRequired(
                "This account must use two-factor sign-in: set it up at /api/v1/me/totp first."
            )

    def require_session(self, doing: str) -> None:
        """Refuse personal API tokens: account security is changed only from a signed-in
        session, so a token leaked into a script cannot lock its owner out."""
        if self.session_id is None:
            raise PermissionDenied(f"Sign in with your password to {doing}; API tokens cannot.")

    def require_admin(self) -> None:
        # Admin work is never done with a personal API token: those leak into scripts.
        if not self.is_admin or self.api_token_id is not None:
            raise PermissionDenied("Administrator rights are required.")


class SessionCheck(msgspec.Struct, frozen=True, kw_only=True):
    """What authenticating a session's access token found in the database: the account is
    active with this role, and the session is live until `valid_until`. Cached per session
    for a short while (docs/performance.md, "Caching"); the denylist still rules every call."""

    user_id: UserId
    role: Role
    must_enrol_second_factor: bool
    valid_until: datetime

    def is_current(self, now: datetime) -> bool:
        return now < self.valid_until

    def principal(self, session_id: SessionId) -> Principal:
        return Principal(
            user_id=self.user_id,
            role=self.role,
            session_id=session_id,
            must_enrol_second_factor=self.must_enrol_second_factor,
        )
