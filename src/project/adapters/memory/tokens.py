"""Personal API tokens, password-reset tokens and invites, held in memory."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import msgspec

from project.adapters.memory._store import Transaction, handed_out, stored, utc
from project.domain.model.ids import ApiTokenId, UserId
from project.domain.model.tokens import ApiToken, Invite, PasswordResetToken


class InMemoryApiTokenRepository:
    def __init__(self, transaction: Transaction) -> None:
        self._tx = transaction

    async def add(self, token: ApiToken) -> None:
        tables = await self._tx.writing()
        if token.id in tables.api_tokens:
            raise ValueError(f"duplicate API token id {token.id}")
        if any(held.token_hash == token.token_hash for held in tables.api_tokens.values()):
            raise ValueError("duplicate API token hash")
        tables.api_tokens[token.id] = stored(token)

    async def get(self, token_id: ApiTokenId) -> ApiToken | None:
        token = self._tx.reading().api_tokens.get(token_id)
        return None if token is None else handed_out(token)

    async def get_by_hash(self, token_hash: str) -> ApiToken | None:
        tokens = self._tx.reading().api_tokens.values()
        token = next((held for held in tokens if held.token_hash == token_hash), None)
        return None if token is None else handed_out(token)

    async def list_for_user(self, user_id: UserId) -> Sequence[ApiToken]:
        """The user's tokens, revoked and expired ones too, oldest first."""
        tokens = [t for t in self._tx.reading().api_tokens.values() if t.user_id == user_id]
        tokens.sort(key=lambda token: (token.created_at, token.id))
        return [handed_out(token) for token in tokens]

    async def update(self, token: ApiToken) -> None:
        tables = await self._tx.writing()
        if token.id in tables.api_tokens:
            tables.api_tokens[token.id] = stored(token)


class InMemoryPasswordResetRepository:
    def __init__(self, transaction: Transaction) -> None:
        self._tx = transaction

    async def add(self, token: PasswordResetToken) -> None:
        tables = await self._tx.writing()
        if token.token_hash in tables.password_resets:
            raise ValueError("duplicate password reset token hash")
        tables.password_resets[token.token_hash] = stored(token)

    async def get(self, token_hash: str) -> PasswordResetToken | None:
        token = self._tx.reading().password_resets.get(token_hash)
        return None if token is None else handed_out(token)

    async def mark_used(self, token_hash: str, at: datetime) -> bool:
        tables = await self._tx.writing()
        token = tables.password_resets.get(token_hash)
        if token is None or token.used_at is not None:
            return False
        tables.password_resets[token_hash] = msgspec.structs.replace(token, used_at=utc(at))
        return True


class InMemoryInviteRepository:
    def __init__(self, transaction: Transaction) -> None:
        self._tx = transaction

    async def add(self, invite: Invite) -> None:
        tables = await self._tx.writing()
        if invite.token_hash in tables.invites:
            raise ValueError("duplicate invite token hash")
        tables.invites[invite.token_hash] = stored(invite)

    async def get(self, token_hash: str) -> Invite | None:
        invite = self._tx.reading().invites.get(token_hash)
        return None if invite is None else handed_out(invite)

    async def mark_used(self, token_hash: str, at: datetime) -> bool:
        tables = await self._tx.writing()
        invite = tables.invites.get(token_hash)
        if invite is None or invite.used_at is not None:
            return False
        tables.invites[token_hash] = msgspec.structs.replace(invite, used_at=utc(at))
        return True
