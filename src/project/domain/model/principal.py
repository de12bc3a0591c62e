"""Who is calling, as established by an access JWT or a personal API token."""

from __future__ import annotations

import msgspec

from project.domain.model.errors import PermissionDenied
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

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def require(self, scope: Scope) -> None:
        if scope not in self.scopes:
            raise PermissionDenied(f"This token lacks the '{scope}' scope.")

    def require_admin(self) -> None:
        # Admin work is never done with a personal API token: those leak into scripts.
        if not self.is_admin or self.api_token_id is not None:
            raise PermissionDenied("Administrator rights are required.")
