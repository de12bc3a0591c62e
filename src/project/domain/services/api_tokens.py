"""Personal API tokens (S12): created for a user, shown once, listed, revoked."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from project.domain.model.audit import AuditAction
from project.domain.model.context import Context
from project.domain.model.errors import InvalidInput, NotFound
from project.domain.model.ids import ApiTokenId, UserId
from project.domain.model.principal import Principal
from project.domain.model.secrets import API_TOKEN_PREFIX, hash_secret, new_secret
from project.domain.model.tokens import ApiToken, Scope, clean_scopes, clean_token_name
from project.domain.services._common import audit, require_user
from project.domain.services._deps import AuthDeps

MAX_TOKEN_DAYS = 3650
HINT_LENGTH = len(API_TOKEN_PREFIX) + 4


def owner_of(actor: Principal | None, user_id: UserId | None) -> UserId:
    """Whose tokens the caller may manage: their own, or anyone's for the local operator."""
    if actor is not None:
        if user_id is not None and user_id != actor.user_id:
            raise NotFound("No such user.")
        return actor.user_id
    if user_id is None:
        raise InvalidInput("Name the user whose tokens to manage.")
    return user_id


class ApiTokenService:
    def __init__(self, deps: AuthDeps) -> None:
        self._d = deps

    async def create(
        self,
        actor: Principal | None,
        *,
        name: str,
        scopes: set[Scope] | frozenset[Scope] | list[Scope],
        expires_in_days: int | None = None,
        user_id: UserId | None = None,
        ctx: Context,
    ) -> tuple[ApiToken, str]:
        """Create a token and return it with its secret, which is never retrievable again."""
        owner = owner_of(actor, user_id)
        if actor is not None and actor.api_token_id is not None:
            raise InvalidInput("Sign in with your password to create API tokens.")
        if expires_in_days is not None and not 1 <= expires_in_days <= MAX_TOKEN_DAYS:
            raise InvalidInput(f"expires_in_days must be 1-{MAX_TOKEN_DAYS}.")
        now = self._d.clock.now()
        secret = new_secret(API_TOKEN_PREFIX)
        token = ApiToken(
            id=ApiTokenId(self._d.ids.new_id()),
            user_id=owner,
            name=clean_token_name(name),
            token_hash=hash_secret(secret),
            hint=secret[:HINT_LENGTH],
            scopes=clean_scopes(scopes),
            created_at=now,
            expires_at=now + timedelta(days=expires_in_days) if expires_in_days else None,
        )
        async with self._d.uow() as uow:
            await require_user(uow, owner)
            await uow.api_tokens.add(token)
            await audit(
                self._d,
                uow,
                AuditAction.API_TOKEN_CREATED,
                actor=actor.user_id if actor else None,
                subject=owner,
                ctx=ctx,
                token=str(token.id),
                scopes=",".join(sorted(token.scopes)),
            )
            await uow.commit()
        return token, secret

    async def list(
        self, actor: Principal | None, *, user_id: UserId | None = None
    ) -> Sequence[ApiToken]:
        owner = owner_of(actor, user_id)
        async with self._d.uow() as uow:
            tokens = await uow.api_tokens.list_for_user(owner)
        return sorted(tokens, key=lambda t: t.created_at, reverse=True)

    async def revoke(
        self,
        actor: Principal | None,
        token_id: ApiTokenId,
        *,
        user_id: UserId | None = None,
        ctx: Context,
    ) -> None:
        now = self._d.clock.now()
        async with self._d.uow() as uow:
            token = await uow.api_tokens.get(token_id)
            # The operator may name a user to scope the lookup, or revoke any token by id.
            owner = actor.user_id if actor is not None else user_id
            if token is None or (owner is not None and token.user_id != owner):
                raise NotFound("No such token.")
            token.revoke(now)
            await uow.api_tokens.update(token)
            await audit(
                self._d,
                uow,
                AuditAction.API_TOKEN_REVOKED,
                actor=actor.user_id if actor else None,
                subject=token.user_id,
                ctx=ctx,
                token=str(token.id),
            )
            await uow.commit()
