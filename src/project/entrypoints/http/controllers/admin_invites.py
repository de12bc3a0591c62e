"""Registration invites for `invite` mode."""

from __future__ import annotations

from litestar import Controller, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from project.domain.model.context import Context
from project.domain.model.principal import Principal
from project.domain.services.administration import AdministrationService
from project.entrypoints.http.schemas.users import CreateInvite, InviteOut


class AdminInviteController(Controller):
    path = "/api/v1/admin/invites"
    tags = ["admin"]

    @post("/", status_code=201)
    async def create_invite(
        self,
        data: JSONBody[CreateInvite],
        admin: NamedDependency[AdministrationService],
        principal: NamedDependency[Principal],
        ctx: NamedDependency[Context],
    ) -> InviteOut:
        return InviteOut(invite=await admin.create_invite(principal, email=data.email, ctx=ctx))
