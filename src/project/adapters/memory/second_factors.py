"""TOTP authenticators and recovery codes (S7), held in memory."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import msgspec

from project.adapters.memory._store import Transaction, handed_out, stored, utc
from project.domain.model.ids import UserId
from project.domain.model.second_factor import RecoveryCode, TotpFactor


class InMemorySecondFactorRepository:
    def __init__(self, transaction: Transaction) -> None:
        self._tx = transaction

    async def get(self, user_id: UserId) -> TotpFactor | None:
        factor = self._tx.reading().second_factors.get(user_id)
        return None if factor is None else handed_out(factor)

    async def save(self, factor: TotpFactor) -> None:
        tables = await self._tx.writing()
        tables.second_factors[factor.user_id] = stored(factor)

    async def delete(self, user_id: UserId) -> None:
        tables = await self._tx.writing()
        tables.second_factors.pop(user_id, None)

    async def use_step(self, user_id: UserId, step: int) -> bool:
        tables = await self._tx.writing()
        factor = tables.second_factors.get(user_id)
        if factor is None or (factor.last_used_step is not None and factor.last_used_step >= step):
            return False
        tables.second_factors[user_id] = msgspec.structs.replace(factor, last_used_step=step)
        return True


class InMemoryRecoveryCodeRepository:
    def __init__(self, transaction: Transaction) -> None:
        self._tx = transaction

    async def replace(self, user_id: UserId, codes: Sequence[RecoveryCode]) -> None:
        tables = await self._tx.writing()
        for key in [key for key in tables.recovery_codes if key[0] == user_id]:
            del tables.recovery_codes[key]
        for code in codes:
            tables.recovery_codes[(code.user_id, code.code_hash)] = stored(code)

    async def use(self, user_id: UserId, code_hash: str, at: datetime) -> bool:
        tables = await self._tx.writing()
        code = tables.recovery_codes.get((user_id, code_hash))
        if code is None or code.used_at is not None:
            return False
        tables.recovery_codes[(user_id, code_hash)] = msgspec.structs.replace(code, used_at=utc(at))
        return True

    async def count_unused(self, user_id: UserId) -> int:
        codes = self._tx.reading().recovery_codes.values()
        return sum(1 for code in codes if code.user_id == user_id and code.used_at is None)
