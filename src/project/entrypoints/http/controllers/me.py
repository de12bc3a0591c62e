"""The caller's own account."""

from __future__ import annotations

import msgspec
from litestar import Controller, get, patch
from litestar.di import NamedDependency
from litestar.params import JSONBody

from project.domain.model.context import Context
from project.domain.model.principal import Principal
from project.domain.services.accounts import AccountService
from project.entrypoints.http.schemas.users import UpdateMe, UserOut


class MeController(Controller):
    path = "/api/v1/me"
    tags = ["account"]

    @get("/")
    async def get_me(
        self,
        accounts: NamedDependency[AccountService],
        principal: NamedDependency[Principal],
    ) -> UserOut:
        return UserOut.of(await accounts.me(principal))

    @patch("/")
    async def update_me(
        self,
        data: JSONBody[UpdateMe],
        accounts: NamedDependency[AccountService],
        principal: NamedDependency[Principal],
        ctx: NamedDependency[Context],
    ) -> UserOut:
        password = data.current_password
        user = await accounts.update_me(
            principal,
            display_name=data.display_name,
            email=data.email,
            current_password=None if password is msgspec.UNSET else password,
            ctx=ctx,
        )
        return UserOut.of(user)
