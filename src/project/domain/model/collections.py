"""Collections: a named set of bookmarks one user owns and shares with members (SPEC 3.4)."""

from __future__ import annotations

import enum
from datetime import datetime

import msgspec

from project.domain.model.errors import Conflict, InvalidInput
from project.domain.model.ids import CollectionId, UserId

MAX_COLLECTION_NAME_LENGTH = 100
MAX_COLLECTION_DESCRIPTION_LENGTH = 2000


class MemberRole(enum.StrEnum):
    VIEWER = "viewer"
    EDITOR = "editor"


def clean_collection_name(raw: str) -> str:
    name = " ".join(raw.split())
    if not name or len(name) > MAX_COLLECTION_NAME_LENGTH:
        raise InvalidInput(
            f"A collection name must be 1 to {MAX_COLLECTION_NAME_LENGTH} characters."
        )
    return name


def _clean_description(raw: str) -> str:
    if len(raw) > MAX_COLLECTION_DESCRIPTION_LENGTH:
        raise InvalidInput(
            f"A description must be at most {MAX_COLLECTION_DESCRIPTION_LENGTH} characters."
        )
    return raw


class Collection(msgspec.Struct, kw_only=True):
    id: CollectionId
    owner_id: UserId
    name: str
    description: str = ""
    # The public read-only link's random slug; None when the collection is not public.
    public_slug: str | None = None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def create(
        cls,
        *,
        id: CollectionId,
        owner_id: UserId,
        name: str,
        description: str,
        at: datetime,
    ) -> Collection:
        return cls(
            id=id,
            owner_id=owner_id,
            name=clean_collection_name(name),
            description=_clean_description(description),
            created_at=at,
            updated_at=at,
        )

    def edit(self, *, name: str | None, description: str | None, at: datetime) -> None:
        if name is not None:
            self.name = clean_collection_name(name)
        if description is not None:
            self.description = _clean_description(description)
        self.updated_at = at

    def publish(self, slug: str, at: datetime) -> None:
        """Give the collection a fresh public link (a new slug invalidates the old link)."""
        self.public_slug = slug
        self.updated_at = at

    def unpublish(self, at: datetime) -> None:
        self.public_slug = None
        self.updated_at = at


class Membership(msgspec.Struct, kw_only=True):
    collection_id: CollectionId
    user_id: UserId
    role: MemberRole
    added_at: datetime

    @classmethod
    def grant(
        cls, collection: Collection, user_id: UserId, role: MemberRole, at: datetime
    ) -> Membership:
        if user_id == collection.owner_id:
            raise Conflict("The owner is already part of the collection.")
        return cls(collection_id=collection.id, user_id=user_id, role=role, added_at=at)
