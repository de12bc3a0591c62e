"""The caller's own account."""

from __future__ import annotations

import msgspec
from litestar import Controller, get, patch
from litestar.di import NamedDependency
from litestar.params import JSONBody

from project.domain.model.context import Context
from project.domain.model.principal import Principal
from project.domain.services.accounts import AccountService
from project.entrypoints.http.authentication import DURING_ENROLMENT
from project.entrypoints.http.schemas.users import MeOut, UpdateMe
from project.entrypoints.library import Project


class MeController(Controller):
    path = "/api/v1/me"
    tags = ["account"]

    @get("/", **DURING_ENROLMENT)
    async def get_me(
        self,
        accounts: NamedDependency[AccountService],
        project: NamedDependency[Project],
        principal: NamedDependency[Principal],
    ) -> MeOut:
        user = await accounts.me(principal)
        return MeOut.of_me(user, await project.archive.storage(user.id))

    @patch("/")
    async def update_me(
        self,
        data: JSONBody[UpdateMe],
        accounts: NamedDependency[AccountService],
        project: NamedDependency[Project],
        principal: NamedDependency[Principal],
        ctx: NamedDependency[Context],
    ) -> MeOut:
        password = data.current_password
        user = await accounts.update_me(
            principal,
            display_name=data.display_name,
            email=data.email,
            current_password=None if password is msgspec.UNSET else password,
            ctx=ctx,
        )
        return MeOut.of_me(user, await project.archive.storage(user.id))
