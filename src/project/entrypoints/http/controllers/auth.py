"""Sign up, sign in, rotate tokens, sign out (SPEC 3.1)."""

from __future__ import annotations

from litestar import Controller, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from project.domain.model.context import Context
from project.domain.model.principal import Principal
from project.domain.services.authentication import AuthenticationService
from project.domain.services.sessions import SessionService
from project.entrypoints.http.authentication import DURING_ENROLMENT, PUBLIC
from project.entrypoints.http.schemas.auth import (
    LoggedOut,
    Login,
    Refresh,
    Register,
    TokenPairOut,
)
from project.entrypoints.http.schemas.users import UserOut


class AuthController(Controller):
    path = "/api/v1/auth"
    tags = ["auth"]

    @post("/register", **PUBLIC, status_code=201)
    async def register(
        self,
        data: JSONBody[Register],
        auth: NamedDependency[AuthenticationService],
        ctx: NamedDependency[Context],
    ) -> UserOut:
        user = await auth.register(
            data.email,
            data.password,
            display_name=data.display_name,
            invite=data.invite,
            ctx=ctx,
        )
        return UserOut.of(user)

    @post("/login", **PUBLIC, status_code=200)
    async def login(
        self,
        data: JSONBody[Login],
        auth: NamedDependency[AuthenticationService],
        ctx: NamedDependency[Context],
    ) -> TokenPairOut:
        pair = await auth.login(
            data.email, data.password, second_factor=data.second_factor, ctx=ctx
        )
        return TokenPairOut.of(pair)

    @post("/refresh", **PUBLIC, status_code=200)
    async def refresh(
        self,
        data: JSONBody[Refresh],
        auth: NamedDependency[AuthenticationService],
        ctx: NamedDependency[Context],
    ) -> TokenPairOut:
        return TokenPairOut.of(await auth.refresh(data.refresh_token, ctx=ctx))

    @post("/logout", status_code=204, **DURING_ENROLMENT)
    async def logout(
        self,
        sessions: NamedDependency[SessionService],
        principal: NamedDependency[Principal],
        ctx: NamedDependency[Context],
    ) -> None:
        await sessions.logout(principal, ctx=ctx)

    @post("/logout-all", status_code=200)
    async def logout_all(
        self,
        sessions: NamedDependency[SessionService],
        principal: NamedDependency[Principal],
        ctx: NamedDependency[Context],
    ) -> LoggedOut:
        return LoggedOut(ended=await sessions.logout_all(principal, ctx=ctx))
