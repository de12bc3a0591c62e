"""Signed-in devices (`sessions`) and their refresh-token chains (`refresh_tokens`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from project.adapters.sql.tables import refresh_tokens, sessions
from project.domain.model.ids import SessionId, UserId
from project.domain.model.sessions import RefreshToken, Session


class SqlSessionRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def get(self, session_id: SessionId) -> Session | None:
        statement = select(sessions).where(sessions.c.id == session_id)
        row = (await self._conn.execute(statement)).first()
        return None if row is None else _to_session(row)

    async def add(self, session: Session) -> None:
        await self._conn.execute(insert(sessions).values(_session_values(session)))

    async def update(self, session: Session) -> None:
        statement = update(sessions).where(sessions.c.id == session.id)
        await self._conn.execute(statement.values(_session_values(session)))

    async def list_active(self, user_id: UserId) -> Sequence[Session]:
        """Unrevoked sessions of the user, oldest first."""
        statement = (
            select(sessions)
            .where(sessions.c.user_id == user_id, sessions.c.revoked_at.is_(None))
            .order_by(sessions.c.created_at, sessions.c.id)
        )
        return [_to_session(row) for row in await self._conn.execute(statement)]

    async def revoke_all(
        self, user_id: UserId, *, at: datetime, reason: str, keep: SessionId | None = None
    ) -> Sequence[SessionId]:
        """Revoke in one statement; the ids come back sorted (UUIDv7: oldest first)."""
        statement = update(sessions).where(
            sessions.c.user_id == user_id, sessions.c.revoked_at.is_(None)
        )
        if keep is not None:
            statement = statement.where(sessions.c.id != keep)
        statement = statement.values(revoked_at=at, revoke_reason=reason)
        revoked = await self._conn.execute(statement.returning(sessions.c.id))
        return sorted(SessionId(session_id) for session_id in revoked.scalars())


class SqlRefreshTokenRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def add(self, token: RefreshToken) -> None:
        values = {
            "token_hash": token.token_hash,
            "session_id": token.session_id,
            "created_at": token.created_at,
            "rotated_at": token.rotated_at,
        }
        await self._conn.execute(insert(refresh_tokens).values(values))

    async def get(self, token_hash: str) -> RefreshToken | None:
        statement = select(refresh_tokens).where(refresh_tokens.c.token_hash == token_hash)
        row = (await self._conn.execute(statement)).first()
        if row is None:
            return None
        return RefreshToken(
            token_hash=row.token_hash,
            session_id=SessionId(row.session_id),
            created_at=row.created_at,
            rotated_at=row.rotated_at,
        )

    async def mark_rotated(self, token_hash: str, at: datetime) -> bool:
        statement = (
            update(refresh_tokens)
            .where(refresh_tokens.c.token_hash == token_hash, refresh_tokens.c.rotated_at.is_(None))
            .values(rotated_at=at)
        )
        return (await self._conn.execute(statement)).rowcount == 1


def _session_values(session: Session) -> dict[str, Any]:
    return {
        "id": session.id,
        "user_id": session.user_id,
        "created_at": session.created_at,
        "last_used_at": session.last_used_at,
        "user_agent": session.user_agent,
        "ip": session.ip,
        "revoked_at": session.revoked_at,
        "revoke_reason": session.revoke_reason,
    }


def _to_session(row: Row[Any]) -> Session:
    return Session(
        id=SessionId(row.id),
        user_id=UserId(row.user_id),
        created_at=row.created_at,
        last_used_at=row.last_used_at,
        user_agent=row.user_agent,
        ip=row.ip,
        revoked_at=row.revoked_at,
        revoke_reason=row.revoke_reason,
    )
