"""User management for administrators; the service checks `require_admin` (403 otherwise)."""

from __future__ import annotations

from uuid import UUID

import msgspec
from litestar import Controller, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from project.domain.model.context import Context
from project.domain.model.ids import UserId
from project.domain.model.principal import Principal
from project.domain.model.users import User, UserStatus
from project.domain.services.administration import AdministrationService
from project.entrypoints.http.schemas.paging import Limit, Offset
from project.entrypoints.http.schemas.users import (
    CreateUser,
    SetPassword,
    UpdateUser,
    UserList,
    UserOut,
)


class AdminUserController(Controller):
    path = "/api/v1/admin/users"
    tags = ["admin"]

    @get("/")
    async def list_users(
        self,
        admin: NamedDependency[AdministrationService],
        principal: NamedDependency[Principal],
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> UserList:
        users = await admin.list_users(principal, limit=limit, offset=offset)
        return UserList(items=[UserOut.of(u) for u in users], limit=limit, offset=offset)

    @post("/", status_code=201)
    async def create_user(
        self,
        data: JSONBody[CreateUser],
        admin: NamedDependency[AdministrationService],
        principal: NamedDependency[Principal],
        ctx: NamedDependency[Context],
    ) -> UserOut:
        user = await admin.create_user(
            principal,
            data.email,
            data.password,
            role=data.role,
            display_name=data.display_name,
            ctx=ctx,
        )
        return UserOut.of(user)

    @get("/{user_id:uuid}")
    async def get_user(
        self,
        user_id: FromPath[UUID],
        admin: NamedDependency[AdministrationService],
        principal: NamedDependency[Principal],
    ) -> UserOut:
        return UserOut.of(await admin.get_user(principal, UserId(user_id)))

    @patch("/{user_id:uuid}")
    async def update_user(
        self,
        user_id: FromPath[UUID],
        data: JSONBody[UpdateUser],
        admin: NamedDependency[AdministrationService],
        principal: NamedDependency[Principal],
        ctx: NamedDependency[Context],
    ) -> UserOut:
        return UserOut.of(await _apply(admin, principal, UserId(user_id), data, ctx))

    @delete("/{user_id:uuid}", status_code=204)
    async def delete_user(
        self,
        user_id: FromPath[UUID],
        admin: NamedDependency[AdministrationService],
        principal: NamedDependency[Principal],
        ctx: NamedDependency[Context],
    ) -> None:
        await admin.delete(principal, UserId(user_id), ctx=ctx)

    @post("/{user_id:uuid}/password", status_code=204)
    async def set_password(
        self,
        user_id: FromPath[UUID],
        data: JSONBody[SetPassword],
        admin: NamedDependency[AdministrationService],
        principal: NamedDependency[Principal],
        ctx: NamedDependency[Context],
    ) -> None:
        await admin.reset_password(principal, UserId(user_id), data.new_password, ctx=ctx)


async def _apply(
    admin: AdministrationService,
    principal: Principal,
    user_id: UserId,
    change: UpdateUser,
    ctx: Context,
) -> User:
    """PATCH semantics over the service's verbs: role, second factor, then status; nothing
    set reads."""
    user: User | None = None
    if change.role is not msgspec.UNSET:
        user = await admin.set_role(principal, user_id, change.role, ctx=ctx)
    if change.totp_required is not msgspec.UNSET:
        user = await admin.require_second_factor(principal, user_id, change.totp_required, ctx=ctx)
    if change.status is UserStatus.DISABLED:
        user = await admin.disable(principal, user_id, ctx=ctx)
    elif change.status is UserStatus.ACTIVE:
        user = await admin.enable(principal, user_id, ctx=ctx)
    return user or await admin.get_user(principal, user_id)
