"""Password hashing with argon2id (argon2-cffi)."""

from project.adapters.argon2.hasher import DEFAULT_MAX_CONCURRENCY, Argon2PasswordHasher
from project.adapters.argon2.profile import DEFAULT_PARAMETERS, TEST_PARAMETERS

__all__ = [
    "DEFAULT_MAX_CONCURRENCY",
    "DEFAULT_PARAMETERS",
    "TEST_PARAMETERS",
    "Argon2PasswordHasher",
]
