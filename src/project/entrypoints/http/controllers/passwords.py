"""Password change, and reset by emailed single-use token."""

from __future__ import annotations

from litestar import Controller, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from project.domain.model.context import Context
from project.domain.model.principal import Principal
from project.domain.services.passwords import PasswordService
from project.entrypoints.http.authentication import PUBLIC
from project.entrypoints.http.schemas.auth import (
    Accepted,
    ChangePassword,
    ResetConfirm,
    ResetRequest,
)

RESET_REQUESTED = Accepted(
    detail="If the address belongs to an account, a reset link is on its way."
)


class PasswordController(Controller):
    path = "/api/v1/auth"
    tags = ["auth"]

    @post("/password", status_code=204)
    async def change_password(
        self,
        data: JSONBody[ChangePassword],
        passwords: NamedDependency[PasswordService],
        principal: NamedDependency[Principal],
        ctx: NamedDependency[Context],
    ) -> None:
        await passwords.change(principal, data.current_password, data.new_password, ctx=ctx)

    @post("/password-reset/request", **PUBLIC, status_code=202)
    async def request_reset(
        self,
        data: JSONBody[ResetRequest],
        passwords: NamedDependency[PasswordService],
        ctx: NamedDependency[Context],
    ) -> Accepted:
        await passwords.request_reset(data.email, ctx=ctx)
        return RESET_REQUESTED

    @post("/password-reset/confirm", **PUBLIC, status_code=204)
    async def confirm_reset(
        self,
        data: JSONBody[ResetConfirm],
        passwords: NamedDependency[PasswordService],
        ctx: NamedDependency[Context],
    ) -> None:
        await passwords.confirm_reset(data.token, data.new_password, ctx=ctx)
