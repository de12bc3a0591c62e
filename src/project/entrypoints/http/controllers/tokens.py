"""The caller's personal API tokens (S12)."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from project.domain.model.context import Context
from project.domain.model.ids import ApiTokenId
from project.domain.model.principal import Principal
from project.domain.services.api_tokens import ApiTokenService
from project.entrypoints.http.schemas.tokens import (
    ApiTokenCreated,
    ApiTokenList,
    ApiTokenOut,
    CreateApiToken,
)


class ApiTokenController(Controller):
    path = "/api/v1/tokens"
    tags = ["tokens"]

    @get("/")
    async def list_tokens(
        self,
        tokens: NamedDependency[ApiTokenService],
        principal: NamedDependency[Principal],
    ) -> ApiTokenList:
        return ApiTokenList(items=[ApiTokenOut.of(t) for t in await tokens.list(principal)])

    @post("/", status_code=201)
    async def create_token(
        self,
        data: JSONBody[CreateApiToken],
        tokens: NamedDependency[ApiTokenService],
        principal: NamedDependency[Principal],
        ctx: NamedDependency[Context],
    ) -> ApiTokenCreated:
        token, secret = await tokens.create(
            principal,
            name=data.name,
            scopes=data.scopes,
            expires_in_days=data.expires_in_days,
            ctx=ctx,
        )
        return ApiTokenCreated.with_secret(token, secret)

    @delete("/{token_id:uuid}", status_code=204)
    async def revoke_token(
        self,
        token_id: FromPath[UUID],
        tokens: NamedDependency[ApiTokenService],
        principal: NamedDependency[Principal],
        ctx: NamedDependency[Context],
    ) -> None:
        await tokens.revoke(principal, ApiTokenId(token_id), ctx=ctx)
