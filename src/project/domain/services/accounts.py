"""The caller's own account (`/me`)."""

from __future__ import annotations

import msgspec

from project.domain.model.audit import AuditAction
from project.domain.model.context import Context
from project.domain.model.errors import WrongPassword
from project.domain.model.principal import Principal
from project.domain.model.users import User
from project.domain.services._common import audit, require_user
from project.domain.services._deps import AuthDeps


class AccountService:
    def __init__(self, deps: AuthDeps) -> None:
        self._d = deps

    async def me(self, principal: Principal) -> User:
        async with self._d.uow() as uow:
            return await require_user(uow, principal.user_id)

    async def update_me(
        self,
        principal: Principal,
        *,
        display_name: str | msgspec.UnsetType = msgspec.UNSET,
        email: str | msgspec.UnsetType = msgspec.UNSET,
        current_password: str | None = None,
        ctx: Context,
    ) -> User:
        """Change the caller's display name or email; a new email needs the password."""
        async with self._d.uow() as uow:
            user = await require_user(uow, principal.user_id)
        if email is not msgspec.UNSET and not (
            current_password is not None
            and await self._d.hasher.verify(user.password_hash, current_password)
        ):
            raise WrongPassword("Changing the email needs your current password.")
        async with self._d.uow() as uow:
            user = await require_user(uow, principal.user_id)
            changed: list[str] = []
            if display_name is not msgspec.UNSET:
                user.rename(display_name)
                changed.append("display_name")
            if email is not msgspec.UNSET:
                user.change_email(email)
                changed.append("email")
            await uow.users.update(user)
            await audit(
                self._d,
                uow,
                AuditAction.USER_UPDATED,
                actor=user.id,
                subject=user.id,
                ctx=ctx,
                fields=",".join(changed),
            )
            await uow.commit()
        return user
