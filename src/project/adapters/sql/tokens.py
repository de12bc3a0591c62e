"""Personal API tokens, password-reset tokens and invites."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Table, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from project.adapters.sql.tables import api_tokens, invites, password_reset_tokens
from project.domain.model.ids import ApiTokenId, UserId
from project.domain.model.tokens import ApiToken, Invite, PasswordResetToken, Scope


class SqlApiTokenRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def add(self, token: ApiToken) -> None:
        await self._conn.execute(insert(api_tokens).values(_api_token_values(token)))

    async def get(self, token_id: ApiTokenId) -> ApiToken | None:
        statement = select(api_tokens).where(api_tokens.c.id == token_id)
        row = (await self._conn.execute(statement)).first()
        return None if row is None else _to_api_token(row)

    async def get_by_hash(self, token_hash: str) -> ApiToken | None:
        statement = select(api_tokens).where(api_tokens.c.token_hash == token_hash)
        row = (await self._conn.execute(statement)).first()
        return None if row is None else _to_api_token(row)

    async def list_for_user(self, user_id: UserId) -> Sequence[ApiToken]:
        """The user's tokens, revoked and expired ones too, oldest first."""
        statement = (
            select(api_tokens)
            .where(api_tokens.c.user_id == user_id)
            .order_by(api_tokens.c.created_at, api_tokens.c.id)
        )
        return [_to_api_token(row) for row in await self._conn.execute(statement)]

    async def update(self, token: ApiToken) -> None:
        statement = update(api_tokens).where(api_tokens.c.id == token.id)
        await self._conn.execute(statement.values(_api_token_values(token)))


class SqlPasswordResetRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def add(self, token: PasswordResetToken) -> None:
        values = {
            "token_hash": token.token_hash,
            "user_id": token.user_id,
            "created_at": token.created_at,
            "expires_at": token.expires_at,
            "used_at": token.used_at,
        }
        await self._conn.execute(insert(password_reset_tokens).values(values))

    async def get(self, token_hash: str) -> PasswordResetToken | None:
        table = password_reset_tokens
        statement = select(table).where(table.c.token_hash == token_hash)
        row = (await self._conn.execute(statement)).first()
        if row is None:
            return None
        return PasswordResetToken(
            token_hash=row.token_hash,
            user_id=UserId(row.user_id),
            created_at=row.created_at,
            expires_at=row.expires_at,
            used_at=row.used_at,
        )

    async def mark_used(self, token_hash: str, at: datetime) -> bool:
        return await _mark_used(self._conn, password_reset_tokens, token_hash, at)


class SqlInviteRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def add(self, invite: Invite) -> None:
        values = {
            "token_hash": invite.token_hash,
            "created_by": invite.created_by,
            "created_at": invite.created_at,
            "expires_at": invite.expires_at,
            "email": invite.email,
            "used_at": invite.used_at,
        }
        await self._conn.execute(insert(invites).values(values))

    async def get(self, token_hash: str) -> Invite | None:
        statement = select(invites).where(invites.c.token_hash == token_hash)
        row = (await self._conn.execute(statement)).first()
        if row is None:
            return None
        return Invite(
            token_hash=row.token_hash,
            created_by=UserId(row.created_by),
            created_at=row.created_at,
            expires_at=row.expires_at,
            email=row.email,
            used_at=row.used_at,
        )

    async def mark_used(self, token_hash: str, at: datetime) -> bool:
        return await _mark_used(self._conn, invites, token_hash, at)


async def _mark_used(conn: AsyncConnection, table: Table, token_hash: str, at: datetime) -> bool:
    """One conditional UPDATE, so of two concurrent callers exactly one sees True."""
    statement = (
        update(table)
        .where(table.c.token_hash == token_hash, table.c.used_at.is_(None))
        .values(used_at=at)
    )
    return (await conn.execute(statement)).rowcount == 1


def _api_token_values(token: ApiToken) -> dict[str, Any]:
    return {
        "id": token.id,
        "user_id": token.user_id,
        "name": token.name,
        "token_hash": token.token_hash,
        "hint": token.hint,
        "scopes": _scopes_text(token.scopes),
        "created_at": token.created_at,
        "expires_at": token.expires_at,
        "last_used_at": token.last_used_at,
        "revoked_at": token.revoked_at,
    }


def _to_api_token(row: Row[Any]) -> ApiToken:
    return ApiToken(
        id=ApiTokenId(row.id),
        user_id=UserId(row.user_id),
        name=row.name,
        token_hash=row.token_hash,
        hint=row.hint,
        scopes=_scopes(row.scopes),
        created_at=row.created_at,
        expires_at=row.expires_at,
        last_used_at=row.last_used_at,
        revoked_at=row.revoked_at,
    )


def _scopes_text(scopes: frozenset[Scope]) -> str:
    return ",".join(sorted(scope.value for scope in scopes))


def _scopes(text: str) -> frozenset[Scope]:
    return frozenset(Scope(part) for part in text.split(",") if part)
