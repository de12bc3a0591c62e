"""Argon2id parameter sets: the production default (S1) and a cheap one for unit tests."""

from __future__ import annotations

import dataclasses

from argon2 import Parameters
from argon2.low_level import Type
from argon2.profiles import RFC_9106_LOW_MEMORY

# RFC 9106's low-memory profile (64 MiB, t=3) with one lane: S1 asks for p = 1, and the
# memory and time costs stay well above the OWASP floor of m=19456 KiB, t=2.
DEFAULT_PARAMETERS = dataclasses.replace(RFC_9106_LOW_MEMORY, parallelism=1)

# Still argon2id, but cheap enough for unit tests to hash hundreds of passwords. Never deploy.
TEST_PARAMETERS = Parameters(
    type=Type.ID,
    version=19,
    salt_len=16,
    hash_len=32,
    time_cost=1,
    memory_cost=1024,
    parallelism=1,
)
