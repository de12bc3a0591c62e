"""Accounts held in memory."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from project.adapters.memory._store import Tables, Transaction, handed_out, stored
from project.domain.model.errors import EmailTaken
from project.domain.model.ids import UserId
from project.domain.model.users import Role, User, UserStatus

_K = TypeVar("_K")
_V = TypeVar("_V")


class InMemoryUserRepository:
    def __init__(self, transaction: Transaction) -> None:
        self._tx = transaction

    async def get(self, user_id: UserId) -> User | None:
        user = self._tx.reading().users.get(user_id)
        return None if user is None else handed_out(user)

    async def get_by_email(self, email: str) -> User | None:
        user = _find_by_email(self._tx.reading(), email)
        return None if user is None else handed_out(user)

    async def add(self, user: User) -> None:
        tables = await self._tx.writing()
        if user.id in tables.users:
            raise ValueError(f"duplicate user id {user.id}")
        if _find_by_email(tables, user.email) is not None:
            raise EmailTaken("An account with this email address already exists.")
        tables.users[user.id] = stored(user)

    async def update(self, user: User) -> None:
        tables = await self._tx.writing()
        if user.id not in tables.users:
            return
        holder = _find_by_email(tables, user.email)
        if holder is not None and holder.id != user.id:
            raise EmailTaken("An account with this email address already exists.")
        tables.users[user.id] = stored(user)

    async def delete(self, user_id: UserId) -> None:
        """Delete the user and what hangs off them, as the SQL foreign keys cascade."""
        tables = await self._tx.writing()
        if tables.users.pop(user_id, None) is None:
            return
        ended = {sid for sid, session in tables.sessions.items() if session.user_id == user_id}
        _drop(tables.sessions, lambda session: session.id in ended)
        _drop(tables.refresh_tokens, lambda token: token.session_id in ended)
        _drop(tables.api_tokens, lambda token: token.user_id == user_id)
        _drop(tables.password_resets, lambda token: token.user_id == user_id)
        _drop(tables.invites, lambda invite: invite.created_by == user_id)
        tables.second_factors.pop(user_id, None)
        _drop(tables.recovery_codes, lambda code: code.user_id == user_id)

    async def count(self) -> int:
        return len(self._tx.reading().users)

    async def count_active_admins(self) -> int:
        return sum(
            1
            for user in self._tx.reading().users.values()
            if user.role is Role.ADMIN and user.status is UserStatus.ACTIVE
        )

    async def list(self, *, limit: int, offset: int) -> Sequence[User]:
        ordered = sorted(self._tx.reading().users.values(), key=lambda u: (u.created_at, u.id))
        return [handed_out(user) for user in ordered[offset : offset + limit]]


def _find_by_email(tables: Tables, email: str) -> User | None:
    return next((user for user in tables.users.values() if user.email == email), None)


def _drop(rows: dict[_K, _V], doomed: Callable[[_V], bool]) -> None:
    for key in [key for key, row in rows.items() if doomed(row)]:
        del rows[key]
