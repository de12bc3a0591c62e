"""Accounts in the `users` table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from project.adapters.sql._dialect import insert_unless_taken
from project.adapters.sql.tables import users
from project.domain.model.errors import EmailTaken
from project.domain.model.ids import UserId
from project.domain.model.users import Role, User, UserStatus

_EMAIL_INDEX_MARKERS = ("ix_users_email", "users.email")  # PostgreSQL, SQLite wording


class SqlUserRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def get(self, user_id: UserId) -> User | None:
        row = (await self._conn.execute(select(users).where(users.c.id == user_id))).first()
        return None if row is None else _to_user(row)

    async def get_by_email(self, email: str) -> User | None:
        row = (await self._conn.execute(select(users).where(users.c.email == email))).first()
        return None if row is None else _to_user(row)

    async def add(self, user: User) -> None:
        statement = insert_unless_taken(users, self._conn.dialect.name, users.c.email)
        result = await self._conn.execute(statement.values(_values(user)).returning(users.c.id))
        if result.first() is None:
            raise EmailTaken("An account with this email address already exists.")

    async def update(self, user: User) -> None:
        """Store every field. A taken email raises EmailTaken; roll the unit of work back then."""
        statement = update(users).where(users.c.id == user.id).values(_values(user))
        try:
            await self._conn.execute(statement)
        except IntegrityError as error:
            if any(marker in str(error.orig) for marker in _EMAIL_INDEX_MARKERS):
                raise EmailTaken("An account with this email address already exists.") from None
            raise

    async def delete(self, user_id: UserId) -> None:
        await self._conn.execute(delete(users).where(users.c.id == user_id))

    async def count(self) -> int:
        return (await self._conn.execute(select(func.count()).select_from(users))).scalar_one()

    async def count_active_admins(self) -> int:
        statement = (
            select(func.count())
            .select_from(users)
            .where(users.c.role == Role.ADMIN.value, users.c.status == UserStatus.ACTIVE.value)
        )
        return (await self._conn.execute(statement)).scalar_one()

    async def list(self, *, limit: int, offset: int) -> Sequence[User]:
        statement = (
            select(users).order_by(users.c.created_at, users.c.id).limit(limit).offset(offset)
        )
        return [_to_user(row) for row in await self._conn.execute(statement)]


def _values(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "email": user.email,
        "display_name": user.display_name,
        "role": user.role.value,
        "status": user.status.value,
        "password_hash": user.password_hash,
        "created_at": user.created_at,
        "last_login_at": user.last_login_at,
        "password_changed_at": user.password_changed_at,
        "totp_required": user.totp_required,
    }


def _to_user(row: Row[Any]) -> User:
    return User(
        id=UserId(row.id),
        email=row.email,
        display_name=row.display_name,
        role=Role(row.role),
        status=UserStatus(row.status),
        password_hash=row.password_hash,
        created_at=row.created_at,
        last_login_at=row.last_login_at,
        password_changed_at=row.password_changed_at,
        totp_required=row.totp_required,
    )
