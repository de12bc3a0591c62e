"""argon2id password hashing (S1, S3), run in worker threads so the event loop keeps serving."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable
from typing import ParamSpec, TypeVar
from weakref import WeakKeyDictionary

import argon2
from argon2.exceptions import VerificationError
from argon2.low_level import Type

from project.adapters.argon2.profile import DEFAULT_PARAMETERS, TEST_PARAMETERS

DEFAULT_MAX_CONCURRENCY = 4

_P = ParamSpec("_P")
_T = TypeVar("_T")


class Argon2PasswordHasher:
    """The `PasswordHasher` port on argon2-cffi.

    At most `max_concurrency` hashes run at once per event loop, so a login storm queues
    on the loop instead of taking every worker thread (and 64 MiB of memory per hash).
    """

    def __init__(
        self,
        parameters: argon2.Parameters = DEFAULT_PARAMETERS,
        *,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        engine_type: type[argon2.PasswordHasher] = argon2.PasswordHasher,
    ) -> None:
        if parameters.type is not Type.ID:
            raise ValueError("passwords must be hashed with argon2id")
        if max_concurrency < 1:
            raise ValueError("max_concurrency must be at least 1")
        self._engine = engine_type.from_parameters(parameters)
        self._max_concurrency = max_concurrency
        self._slots: WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
            WeakKeyDictionary()
        )
        self._dummy_hash: str | None = None

    @classmethod
    def for_tests(cls) -> Argon2PasswordHasher:
        return cls(TEST_PARAMETERS)

    async def hash(self, password: str) -> str:
        return await self._off_loop(self._engine.hash, password)

    async def verify(self, password_hash: str, password: str) -> bool:
        return await self._off_loop(self._verify_now, password_hash, password)

    async def verify_dummy(self, password: str) -> None:
        if self._dummy_hash is None:
            # Computed once, with this hasher's parameters, so a dummy check costs what a
            # real one does. Two first callers may both compute it; either result serves.
            self._dummy_hash = await self._off_loop(self._engine.hash, secrets.token_urlsafe(32))
        await self._off_loop(self._verify_now, self._dummy_hash, password)

    def needs_rehash(self, password_hash: str) -> bool:
        try:
            return self._engine.check_needs_rehash(password_hash)
        except ValueError:  # not a readable argon2 hash: replace it
            return True

    def _verify_now(self, password_hash: str, password: str) -> bool:
        try:
            return self._engine.verify(password_hash, password)
        except (VerificationError, ValueError):  # mismatch, or a malformed or non-ASCII hash
            return False

    async def _off_loop(
        self, function: Callable[_P, _T], *args: _P.args, **kwargs: _P.kwargs
    ) -> _T:
        async with self._slot():
            return await asyncio.to_thread(function, *args, **kwargs)

    def _slot(self) -> asyncio.Semaphore:
        # asyncio primitives belong to one loop; the CLI runs a fresh loop per command.
        loop = asyncio.get_running_loop()
        slot = self._slots.get(loop)
        if slot is None:
            slot = self._slots[loop] = asyncio.Semaphore(self._max_concurrency)
        return slot
