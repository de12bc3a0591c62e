"""Typed identifiers. UUIDv7 values are generated behind the IdGenerator port."""

from __future__ import annotations

from typing import NewType
from uuid import UUID

UserId = NewType("UserId", UUID)
SessionId = NewType("SessionId", UUID)
ApiTokenId = NewType("ApiTokenId", UUID)
AuditEventId = NewType("AuditEventId", UUID)
BookmarkId = NewType("BookmarkId", UUID)
CollectionId = NewType("CollectionId", UUID)
SmartListId = NewType("SmartListId", UUID)
ImportJobId = NewType("ImportJobId", UUID)
