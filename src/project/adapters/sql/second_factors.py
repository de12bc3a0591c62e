"""TOTP authenticators and recovery codes (S7) in `second_factors` and `recovery_codes`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from project.adapters.sql._dialect import upsert
from project.adapters.sql.tables import recovery_codes, second_factors
from project.domain.model.ids import UserId
from project.domain.model.second_factor import RecoveryCode, TotpFactor

_FACTOR_FIELDS = ("sealed_secret", "created_at", "confirmed_at", "last_used_step")


class SqlSecondFactorRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def get(self, user_id: UserId) -> TotpFactor | None:
        statement = select(second_factors).where(second_factors.c.user_id == user_id)
        row = (await self._conn.execute(statement)).first()
        if row is None:
            return None
        return TotpFactor(
            user_id=UserId(row.user_id),
            sealed_secret=row.sealed_secret,
            created_at=row.created_at,
            confirmed_at=row.confirmed_at,
            last_used_step=row.last_used_step,
        )

    async def save(self, factor: TotpFactor) -> None:
        values: dict[str, Any] = {"user_id": factor.user_id} | {
            name: getattr(factor, name) for name in _FACTOR_FIELDS
        }
        key = [second_factors.c.user_id]
        dialect = self._conn.dialect.name
        await self._conn.execute(
            upsert(second_factors, dialect, key, values, overwrite=_FACTOR_FIELDS)
        )

    async def delete(self, user_id: UserId) -> None:
        await self._conn.execute(delete(second_factors).where(second_factors.c.user_id == user_id))

    async def use_step(self, user_id: UserId, step: int) -> bool:
        """One conditional UPDATE: of two callers with the same step exactly one sees True."""
        last = second_factors.c.last_used_step
        statement = (
            update(second_factors)
            .where(second_factors.c.user_id == user_id, or_(last.is_(None), last < step))
            .values(last_used_step=step)
        )
        return (await self._conn.execute(statement)).rowcount == 1


class SqlRecoveryCodeRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def replace(self, user_id: UserId, codes: Sequence[RecoveryCode]) -> None:
        await self._conn.execute(delete(recovery_codes).where(recovery_codes.c.user_id == user_id))
        if codes:
            rows = [
                {
                    "user_id": code.user_id,
                    "code_hash": code.code_hash,
                    "created_at": code.created_at,
                    "used_at": code.used_at,
                }
                for code in codes
            ]
            await self._conn.execute(insert(recovery_codes), rows)

    async def use(self, user_id: UserId, code_hash: str, at: datetime) -> bool:
        statement = (
            update(recovery_codes)
            .where(
                recovery_codes.c.user_id == user_id,
                recovery_codes.c.code_hash == code_hash,
                recovery_codes.c.used_at.is_(None),
            )
            .values(used_at=at)
        )
        return (await self._conn.execute(statement)).rowcount == 1

    async def count_unused(self, user_id: UserId) -> int:
        statement = (
            select(func.count())
            .select_from(recovery_codes)
            .where(recovery_codes.c.user_id == user_id, recovery_codes.c.used_at.is_(None))
        )
        return (await self._conn.execute(statement)).scalar_one()
