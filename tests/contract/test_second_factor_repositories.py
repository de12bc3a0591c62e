"""The second-factor repositories (S7) on every backend: memory, SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC
from typing import Any

import pytest

from project.domain.model.second_factor import (
    RecoveryCode,
    TotpFactor,
    new_recovery_codes,
    recovery_code_hash,
    recovery_codes_for,
)
from project.domain.model.users import User
from project.ports.repositories import UnitOfWork, UnitOfWorkFactory
from tests.contract._factories import PLUS_TWO, a_user, at, committing

STEP = 59_000_000


def a_factor(user: User, **changes: Any) -> TotpFactor:
    fields: dict[str, Any] = {
        "user_id": user.id,
        "sealed_secret": "v1.0123456789abcdef.c2VhbGVk",
        "created_at": at(0),
    }
    return TotpFactor(**(fields | changes))


async def _with_user(factory: UnitOfWorkFactory, **changes: Any) -> User:
    user = a_user(**changes)
    async with committing(factory) as uow:
        await uow.users.add(user)
    return user


async def test_the_requirement_flag_round_trips_with_the_user(
    uow_factory: UnitOfWorkFactory,
) -> None:
    user = await _with_user(uow_factory, totp_required=True)
    async with committing(uow_factory) as uow:
        stored = await uow.users.get(user.id)
        assert stored == user
        assert stored is not None
        stored.require_second_factor(False)
        await uow.users.update(stored)
    async with uow_factory() as uow:
        again = await uow.users.get(user.id)
    assert again is not None
    assert again.totp_required is False


async def test_a_factor_round_trips_every_field_and_save_replaces_it(
    uow_factory: UnitOfWorkFactory,
) -> None:
    user = await _with_user(uow_factory)
    started = a_factor(user, created_at=at(0).astimezone(PLUS_TWO))
    async with committing(uow_factory) as uow:
        assert await uow.second_factors.get(user.id) is None
        await uow.second_factors.save(started)
    async with uow_factory() as uow:
        assert await uow.second_factors.get(user.id) == started

    confirmed = a_factor(
        user, sealed_secret="v1.other.c2Vjb25k", confirmed_at=at(30), last_used_step=STEP
    )
    async with committing(uow_factory) as uow:
        await uow.second_factors.save(confirmed)
    async with uow_factory() as uow:
        stored = await uow.second_factors.get(user.id)
    assert stored == confirmed
    assert stored is not None
    assert stored.created_at.tzinfo is UTC
    assert stored.confirmed_at is not None
    assert stored.confirmed_at.tzinfo is UTC


async def test_use_step_only_moves_forward(uow_factory: UnitOfWorkFactory) -> None:
    user = await _with_user(uow_factory)
    async with committing(uow_factory) as uow:
        await uow.second_factors.save(a_factor(user, confirmed_at=at(0)))
    async with committing(uow_factory) as uow:
        assert await uow.second_factors.use_step(user.id, STEP) is True
        assert await uow.second_factors.use_step(user.id, STEP) is False  # replay
        assert await uow.second_factors.use_step(user.id, STEP - 1) is False  # older
        assert await uow.second_factors.use_step(user.id, STEP + 1) is True
        assert await uow.second_factors.use_step(a_user().id, STEP + 5) is False
    async with uow_factory() as uow:
        stored = await uow.second_factors.get(user.id)
    assert stored is not None
    assert stored.last_used_step == STEP + 1


async def test_delete_drops_the_factor(uow_factory: UnitOfWorkFactory) -> None:
    user = await _with_user(uow_factory)
    async with committing(uow_factory) as uow:
        await uow.second_factors.save(a_factor(user))
    async with committing(uow_factory) as uow:
        await uow.second_factors.delete(user.id)
        await uow.second_factors.delete(user.id)  # twice is fine
    async with uow_factory() as uow:
        assert await uow.second_factors.get(user.id) is None


async def test_recovery_codes_are_used_once_and_replaced_all_together(
    uow_factory: UnitOfWorkFactory,
) -> None:
    user, other = await _with_user(uow_factory), await _with_user(uow_factory)
    codes = new_recovery_codes()
    async with committing(uow_factory) as uow:
        await uow.recovery_codes.replace(user.id, recovery_codes_for(user.id, codes, at(0)))
        await uow.recovery_codes.replace(other.id, recovery_codes_for(other.id, codes[:2], at(0)))
    first = recovery_code_hash(codes[0])
    assert first is not None
    async with committing(uow_factory) as uow:
        assert await uow.recovery_codes.count_unused(user.id) == 10
        assert await uow.recovery_codes.use(user.id, first, at(5)) is True
        assert await uow.recovery_codes.use(user.id, first, at(6)) is False
        assert await uow.recovery_codes.use(user.id, "0" * 64, at(6)) is False
    async with committing(uow_factory) as uow:
        assert await uow.recovery_codes.count_unused(user.id) == 9
        assert await uow.recovery_codes.count_unused(other.id) == 2  # another user's: apart
        assert await uow.recovery_codes.use(other.id, first, at(7)) is True
        await uow.recovery_codes.replace(user.id, [])
    async with uow_factory() as uow:
        assert await uow.recovery_codes.count_unused(user.id) == 0
        assert await uow.recovery_codes.count_unused(other.id) == 1


async def test_deleting_a_user_deletes_their_factor_and_codes(
    uow_factory: UnitOfWorkFactory,
) -> None:
    user = await _with_user(uow_factory)
    async with committing(uow_factory) as uow:
        await uow.second_factors.save(a_factor(user))
        await uow.recovery_codes.replace(
            user.id, [RecoveryCode(user_id=user.id, code_hash="a" * 64, created_at=at(0))]
        )
    async with committing(uow_factory) as uow:
        await uow.users.delete(user.id)
    async with uow_factory() as uow:
        assert await uow.second_factors.get(user.id) is None
        assert await uow.recovery_codes.count_unused(user.id) == 0


# --- single use under concurrency -------------------------------------------------------------

Claim = Callable[[UnitOfWork, User, asyncio.Barrier], Awaitable[bool]]


async def _use_step(uow: UnitOfWork, user: User, both_have_read: asyncio.Barrier) -> bool:
    await uow.second_factors.get(user.id)  # read, then claim, as login does
    await both_have_read.wait()
    return await uow.second_factors.use_step(user.id, STEP)


async def _use_code(uow: UnitOfWork, user: User, both_have_read: asyncio.Barrier) -> bool:
    await uow.second_factors.get(user.id)
    await both_have_read.wait()
    return await uow.recovery_codes.use(user.id, "b" * 64, at(60))


@pytest.mark.parametrize("claim", [_use_step, _use_code], ids=["totp-step", "recovery-code"])
async def test_two_logins_racing_with_one_code_give_exactly_one_winner(
    uow_factory: UnitOfWorkFactory, claim: Claim
) -> None:
    user = await _with_user(uow_factory)
    async with committing(uow_factory) as uow:
        await uow.second_factors.save(a_factor(user, confirmed_at=at(0)))
        await uow.recovery_codes.replace(
            user.id, [RecoveryCode(user_id=user.id, code_hash="b" * 64, created_at=at(0))]
        )
    both_have_read = asyncio.Barrier(2)

    async def contender() -> bool:
        async with uow_factory() as uow:
            won = await claim(uow, user, both_have_read)
            await asyncio.sleep(0.05)  # hold the claim uncommitted while the other one tries
            await uow.commit()
            return won

    results = await asyncio.wait_for(asyncio.gather(contender(), contender()), timeout=10)

    assert sorted(results) == [False, True]
