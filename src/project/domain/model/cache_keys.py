"""Keys and lifetimes of the read cache (docs/performance.md, "Caching").

A cached read is stored under a key that names the *version* of the data it was read from.
A write moves that version on after it commits, so every later read looks under a new key
and the old entry is never read again: it just expires. Versions are random tokens kept in
the cache itself, one per scope:

- `catalog_scope(user)`: the bookmarks a user owns (their list pages and tag counts).
- `account_scope(user)`: the account and its sessions (what authenticating a token reads).
- `COLLECTIONS`: every collection and membership (who may read which collection).

A version the cache lost is replaced by a fresh random one, which only means a miss; random
rather than counted, so a replacement can never name entries stored under an older version.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

import msgspec

from project.domain.model.ids import CollectionId, SessionId, UserId
from project.domain.model.search import SearchRequest

# Part of every key: raise it when a cached struct changes shape, so entries written by an
# older release are never decoded by a newer one that shares the cache.
FORMAT = "c1"

VERSION_TTL = timedelta(days=1)
# How stale a list can be if a version bump is lost (the cache was down at that instant).
PAGE_TTL = timedelta(minutes=5)
TAGS_TTL = timedelta(minutes=5)
# Access decisions live shorter: the same bound, for who may read what.
ACCESS_TTL = timedelta(seconds=60)
SESSION_TTL = timedelta(seconds=60)

COLLECTIONS = "collections"

_ENCODER = msgspec.msgpack.Encoder(order="deterministic")


def catalog_scope(user_id: UserId) -> str:
    return f"catalog:{user_id}"


def account_scope(user_id: UserId) -> str:
    return f"account:{user_id}"


def version_key(scope: str) -> str:
    return f"{FORMAT}:ver:{scope}"


def bookmark_page_key(request: SearchRequest, version: str) -> str:
    """A first page of the owner's bookmarks, for exactly this query, order and size."""
    owner = request.scope.owner_id
    if owner is None or request.scope.collection_ids is not None or request.cursor is not None:
        raise ValueError("only first pages of one owner's bookmarks are cached")
    digest = hashlib.blake2b(_ENCODER.encode(request), digest_size=16).hexdigest()
    return f"{FORMAT}:page:{owner}:{version}:{digest}"


def tag_counts_key(user_id: UserId, version: str) -> str:
    return f"{FORMAT}:tags:{user_id}:{version}"


def session_key(user_id: UserId, session_id: SessionId, version: str) -> str:
    return f"{FORMAT}:session:{user_id}:{session_id}:{version}"


def access_key(collection_id: CollectionId, user_id: UserId, version: str) -> str:
    return f"{FORMAT}:access:{collection_id}:{user_id}:{version}"
