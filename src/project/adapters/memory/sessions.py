"""Signed-in devices and their refresh tokens, held in memory."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import msgspec

from project.adapters.memory._store import Transaction, handed_out, stored, utc
from project.domain.model.ids import SessionId, UserId
from project.domain.model.sessions import RefreshToken, Session


class InMemorySessionRepository:
    def __init__(self, transaction: Transaction) -> None:
        self._tx = transaction

    async def get(self, session_id: SessionId) -> Session | None:
        session = self._tx.reading().sessions.get(session_id)
        return None if session is None else handed_out(session)

    async def add(self, session: Session) -> None:
        tables = await self._tx.writing()
        if session.id in tables.sessions:
            raise ValueError(f"duplicate session id {session.id}")
        tables.sessions[session.id] = stored(session)

    async def update(self, session: Session) -> None:
        tables = await self._tx.writing()
        if session.id in tables.sessions:
            tables.sessions[session.id] = stored(session)

    async def list_active(self, user_id: UserId) -> Sequence[Session]:
        """Unrevoked sessions of the user, oldest first."""
        active = [
            session
            for session in self._tx.reading().sessions.values()
            if session.user_id == user_id and session.revoked_at is None
        ]
        active.sort(key=lambda session: (session.created_at, session.id))
        return [handed_out(session) for session in active]

    async def revoke_all(
        self, user_id: UserId, *, at: datetime, reason: str, keep: SessionId | None = None
    ) -> Sequence[SessionId]:
        tables = await self._tx.writing()
        doomed = sorted(
            session.id
            for session in tables.sessions.values()
            if session.user_id == user_id and session.revoked_at is None and session.id != keep
        )
        for session_id in doomed:
            tables.sessions[session_id] = msgspec.structs.replace(
                tables.sessions[session_id], revoked_at=utc(at), revoke_reason=reason
            )
        return doomed


class InMemoryRefreshTokenRepository:
    def __init__(self, transaction: Transaction) -> None:
        self._tx = transaction

    async def add(self, token: RefreshToken) -> None:
        tables = await self._tx.writing()
        if token.token_hash in tables.refresh_tokens:
            raise ValueError("duplicate refresh token hash")
        tables.refresh_tokens[token.token_hash] = stored(token)

    async def get(self, token_hash: str) -> RefreshToken | None:
        token = self._tx.reading().refresh_tokens.get(token_hash)
        return None if token is None else handed_out(token)

    async def mark_rotated(self, token_hash: str, at: datetime) -> bool:
        tables = await self._tx.writing()
        token = tables.refresh_tokens.get(token_hash)
        if token is None or token.rotated_at is not None:
            return False
        tables.refresh_tokens[token_hash] = msgspec.structs.replace(token, rotated_at=utc(at))
        return True
