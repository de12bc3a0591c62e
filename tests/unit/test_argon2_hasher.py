"""argon2id password hashing (S1) and the dummy verification behind S3."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import threading
from collections.abc import Iterator
from typing import Any, Literal

import argon2
import pytest

from project.adapters.argon2 import DEFAULT_PARAMETERS, TEST_PARAMETERS, Argon2PasswordHasher

PASSWORD = "correct horse battery staple"


class CountingArgon2(argon2.PasswordHasher):
    """The real argon2-cffi hasher, recording what it is asked to do and how much at once."""

    def __init__(self, **parameters: Any) -> None:
        super().__init__(**parameters)
        self.hashed = 0
        self.verified: list[str] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self.gate = threading.Event()  # hashing waits here while a test holds it closed
        self.gate.set()
        self._changed = threading.Condition()

    def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
        with self._counting():
            self.hashed += 1
            self.gate.wait(timeout=5)
            return super().hash(password, salt=salt)

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        with self._counting():
            self.verified.append(str(hash))
            return super().verify(hash, password)

    def wait_for_in_flight(self, count: int) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: self.in_flight >= count, timeout=5)

    @contextlib.contextmanager
    def _counting(self) -> Iterator[None]:
        with self._changed:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
            self._changed.notify_all()
        try:
            yield
        finally:
            with self._changed:
                self.in_flight -= 1


def _counting_hasher(max_concurrency: int = 4) -> tuple[Argon2PasswordHasher, CountingArgon2]:
    engines: list[CountingArgon2] = []

    class Recorded(CountingArgon2):
        def __init__(self, **parameters: Any) -> None:
            super().__init__(**parameters)
            engines.append(self)

    hasher = Argon2PasswordHasher(
        TEST_PARAMETERS, max_concurrency=max_concurrency, engine_type=Recorded
    )
    (engine,) = engines
    return hasher, engine


async def test_default_parameters_store_an_argon2id_hash_at_or_above_the_s1_floor() -> None:
    stored = await Argon2PasswordHasher().hash(PASSWORD)

    parameters = argon2.extract_parameters(stored)
    assert stored.startswith("$argon2id$")
    assert parameters.memory_cost >= 19456
    assert parameters.time_cost >= 2
    assert parameters.parallelism == 1


async def test_the_right_password_verifies() -> None:
    hasher = Argon2PasswordHasher.for_tests()

    assert await hasher.verify(await hasher.hash(PASSWORD), PASSWORD) is True


async def test_a_wrong_password_does_not_verify() -> None:
    hasher = Argon2PasswordHasher.for_tests()

    assert await hasher.verify(await hasher.hash(PASSWORD), PASSWORD + "!") is False


async def test_non_ascii_passwords_round_trip() -> None:
    hasher = Argon2PasswordHasher.for_tests()
    password = "pässwörd-密码-🔑"

    assert await hasher.verify(await hasher.hash(password), password) is True


async def test_the_same_password_hashes_differently_each_time() -> None:
    hasher = Argon2PasswordHasher.for_tests()

    assert await hasher.hash(PASSWORD) != await hasher.hash(PASSWORD)


async def test_the_test_profile_is_still_argon2id() -> None:
    stored = await Argon2PasswordHasher.for_tests().hash(PASSWORD)

    assert stored.startswith("$argon2id$")


@pytest.mark.parametrize(
    "stored",
    [
        "",
        "not a hash",
        "$argon2id$",
        "$argon2id$v=19$m=1024,t=1,p=1$bm90LWEtc2FsdA$",
        "$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0$ä",
        "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW",
        "plain-text-password",
    ],
    ids=["empty", "prose", "prefix-only", "no-digest", "non-ascii", "bcrypt", "cleartext"],
)
async def test_a_malformed_hash_verifies_false_without_raising(stored: str) -> None:
    assert await Argon2PasswordHasher.for_tests().verify(stored, PASSWORD) is False


async def test_a_hash_made_with_the_current_parameters_needs_no_rehash() -> None:
    hasher = Argon2PasswordHasher.for_tests()

    assert hasher.needs_rehash(await hasher.hash(PASSWORD)) is False


async def test_a_hash_made_with_other_parameters_needs_a_rehash_but_still_verifies() -> None:
    stronger = Argon2PasswordHasher(dataclasses.replace(TEST_PARAMETERS, time_cost=2))
    stored = await Argon2PasswordHasher.for_tests().hash(PASSWORD)

    assert stronger.needs_rehash(stored) is True
    assert await stronger.verify(stored, PASSWORD) is True


def test_a_malformed_hash_needs_a_rehash() -> None:
    assert Argon2PasswordHasher.for_tests().needs_rehash("not a hash") is True


def test_parameters_other_than_argon2id_are_refused() -> None:
    with pytest.raises(ValueError, match="argon2id"):
        Argon2PasswordHasher(dataclasses.replace(TEST_PARAMETERS, type=argon2.Type.I))


async def test_hashing_runs_off_the_event_loop() -> None:
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.001)
            ticks += 1

    ticking = asyncio.create_task(ticker())
    await asyncio.sleep(0)
    try:
        await Argon2PasswordHasher(DEFAULT_PARAMETERS).hash(PASSWORD)  # tens of milliseconds
    finally:
        ticking.cancel()

    assert ticks >= 5  # a hash on the loop thread would have frozen the ticker at 0 or 1


async def test_no_more_hashes_run_at_once_than_the_concurrency_bound() -> None:
    hasher, engine = _counting_hasher(max_concurrency=2)
    engine.gate.clear()

    hashing = asyncio.gather(*(hasher.hash(PASSWORD) for _ in range(5)))
    assert await asyncio.to_thread(engine.wait_for_in_flight, 2)
    await asyncio.sleep(0.05)  # time for a third hash to start, were it allowed to
    in_flight_while_held = engine.in_flight
    engine.gate.set()
    await hashing

    assert in_flight_while_held == 2
    assert engine.hashed == 5
    assert engine.most_in_flight == 2


async def test_verify_dummy_runs_a_full_verification_each_time() -> None:
    hasher, engine = _counting_hasher()

    await hasher.verify_dummy(PASSWORD)
    await hasher.verify_dummy("another guess at a password")

    assert len(engine.verified) == 2


async def test_verify_dummy_hashes_once_and_verifies_against_a_hash_of_the_same_parameters() -> (
    None
):
    hasher, engine = _counting_hasher()

    await hasher.verify_dummy(PASSWORD)
    await hasher.verify_dummy(PASSWORD)

    assert engine.hashed == 1
    assert len(set(engine.verified)) == 1
    assert argon2.extract_parameters(engine.verified[0]) == TEST_PARAMETERS


def test_a_concurrency_bound_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="max_concurrency"):
        Argon2PasswordHasher(TEST_PARAMETERS, max_concurrency=0)
