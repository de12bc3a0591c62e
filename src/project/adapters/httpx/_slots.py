"""At most a few fetches at once per user (S22), without a table that grows for ever."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from project.domain.model.ids import UserId


class UserSlots:
    """One semaphore per user, made when the user's first fetch starts. Each holder keeps it
    alive, so it lives exactly while that user has fetches running or waiting."""

    def __init__(self, per_user: int) -> None:
        if per_user < 1:
            raise ValueError("per-user concurrency must be at least 1")
        self._per_user = per_user
        self._semaphores: weakref.WeakValueDictionary[UserId, asyncio.Semaphore] = (
            weakref.WeakValueDictionary()
        )

    @asynccontextmanager
    async def hold(self, owner_id: UserId) -> AsyncIterator[None]:
        semaphore = self._semaphores.get(owner_id)
        if semaphore is None:
            semaphore = self._semaphores[owner_id] = asyncio.Semaphore(self._per_user)
        async with semaphore:
            yield

    def __len__(self) -> int:
        return len(self._semaphores)
