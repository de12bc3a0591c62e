"""Opaque secrets handed to clients: generated with >= 256 random bits, stored only as hashes.

SHA-256 is the right hash here: the inputs are uniformly random, so there is nothing for a
slow password hash to protect, and lookups stay a single indexed equality.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets as _random

TOKEN_BYTES = 32
REFRESH_PREFIX = "rt_"
API_TOKEN_PREFIX = "pat_"
RESET_PREFIX = "prt_"
INVITE_PREFIX = "inv_"


def new_secret(prefix: str) -> str:
    return prefix + _random.token_urlsafe(TOKEN_BYTES)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def same_secret(left: str, right: str) -> bool:
    return hmac.compare_digest(left.encode("utf-8"), right.encode("utf-8"))
