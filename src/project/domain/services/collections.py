"""Collections and sharing: members with roles and a revocable public link (SPEC 3.4)."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

import msgspec

from project.domain.model.access import Action, Relation, authorize
from project.domain.model.cache_keys import COLLECTIONS, catalog_scope
from project.domain.model.collections import Collection, MemberRole, Membership
from project.domain.model.errors import InvalidInput, NotFound
from project.domain.model.ids import CollectionId, UserId
from project.domain.model.principal import Principal
from project.domain.model.users import normalize_email
from project.domain.services._catalog import (
    CatalogDeps,
    cached_collection,
    collection_relation,
    load_collection,
)

PUBLIC_SLUG_BYTES = 18  # 144 bits: unguessable, short enough for a link


class CollectionView(msgspec.Struct, frozen=True, kw_only=True):
    """A collection with the caller's relation to it (what the client may offer)."""

    collection: Collection
    relation: Relation


class MemberView(msgspec.Struct, frozen=True, kw_only=True):
    membership: Membership
    email: str
    display_name: str


class CollectionService:
    def __init__(self, deps: CatalogDeps) -> None:
        self._d = deps

    async def create(self, actor: Principal, name: str, description: str = "") -> Collection:
        collection = Collection.create(
            id=CollectionId(self._d.ids.new_id()),
            owner_id=actor.user_id,
            name=name,
            description=description,
            at=self._d.clock.now(),
        )
        async with self._d.uow() as uow:
            await uow.collections.add(collection)
            await uow.commit()
        return collection

    async def list(self, actor: Principal) -> Sequence[CollectionView]:
        async with self._d.uow() as uow:
            collections = await uow.collections.list_for_user(actor.user_id)
            views = []
            for collection in collections:
                relation = await collection_relation(uow, actor.user_id, collection)
                views.append(CollectionView(collection=collection, relation=relation))
        return views

    async def get(self, actor: Principal, collection_id: CollectionId) -> CollectionView:
        collection, relation = await cached_collection(self._d, actor.user_id, collection_id)
        authorize(relation, Action.READ, what="collection")
        return CollectionView(collection=collection, relation=relation)

    async def update(
        self,
        actor: Principal,
        collection_id: CollectionId,
        *,
        name: str | None = None,
        description: str | None = None,
    ) -> Collection:
        async with self._d.uow() as uow:
            collection, relation = await load_collection(uow, actor.user_id, collection_id)
            authorize(relation, Action.EDIT_COLLECTION, what="collection")
            collection.edit(name=name, description=description, at=self._d.clock.now())
            await uow.collections.update(collection)
            await uow.commit()
        await self._d.cache.bump(COLLECTIONS)
        return collection

    async def delete(self, actor: Principal, collection_id: CollectionId) -> None:
        """Delete the collection; its bookmarks stay with their owners, in no collection."""
        async with self._d.uow() as uow:
            _, relation = await load_collection(uow, actor.user_id, collection_id)
            authorize(relation, Action.DELETE_COLLECTION, what="collection")
            owners = await uow.collections.delete(collection_id, at=self._d.clock.now())
            await uow.commit()
        # Its bookmarks left it, so their owners' listings changed too.
        await self._d.cache.bump(COLLECTIONS, *(catalog_scope(owner) for owner in owners))

    async def members(self, actor: Principal, collection_id: CollectionId) -> Sequence[MemberView]:
        """Members are visible to everyone who can read the collection."""
        async with self._d.uow() as uow:
            _, relation = await load_collection(uow, actor.user_id, collection_id)
            authorize(relation, Action.READ, what="collection")
            views = []
            for membership in await uow.memberships.list(collection_id):
                user = await uow.users.get(membership.user_id)
                if user is not None:
                    views.append(
                        MemberView(
                            membership=membership,
                            email=user.email,
                            display_name=user.display_name,
                        )
                    )
        return views

    async def share(
        self, actor: Principal, collection_id: CollectionId, email: str, role: MemberRole
    ) -> MemberView:
        """Add a member by email, or change the role of one."""
        address = normalize_email(email)
        async with self._d.uow() as uow:
            collection, relation = await load_collection(uow, actor.user_id, collection_id)
            authorize(relation, Action.MANAGE_MEMBERS, what="collection")
            user = await uow.users.get_by_email(address)
            if user is None or not user.is_active:
                raise InvalidInput("No active user has that email address.")
            membership = Membership.grant(collection, user.id, role, self._d.clock.now())
            existing = await uow.memberships.get(collection_id, user.id)
            if existing is not None:
                membership = Membership(
                    collection_id=collection_id,
                    user_id=user.id,
                    role=role,
                    added_at=existing.added_at,
                )
            await uow.memberships.save(membership)
            await uow.commit()
        await self._d.cache.bump(COLLECTIONS)
        return MemberView(membership=membership, email=user.email, display_name=user.display_name)

    async def unshare(self, actor: Principal, collection_id: CollectionId, user_id: UserId) -> None:
        """The owner removes a member; a member may also leave on their own."""
        async with self._d.uow() as uow:
            _, relation = await load_collection(uow, actor.user_id, collection_id)
            if user_id != actor.user_id:
                authorize(relation, Action.MANAGE_MEMBERS, what="collection")
            else:
                authorize(relation, Action.READ, what="collection")
            if await uow.memberships.get(collection_id, user_id) is None:
                raise NotFound("No such member.")
            await uow.memberships.delete(collection_id, user_id)
            await uow.commit()
        await self._d.cache.bump(COLLECTIONS)

    async def publish(self, actor: Principal, collection_id: CollectionId) -> Collection:
        """Create (or replace) the public read-only link."""
        async with self._d.uow() as uow:
            collection, relation = await load_collection(uow, actor.user_id, collection_id)
            authorize(relation, Action.PUBLISH, what="collection")
            collection.publish(secrets.token_urlsafe(PUBLIC_SLUG_BYTES), self._d.clock.now())
            await uow.collections.update(collection)
            await uow.commit()
        await self._d.cache.bump(COLLECTIONS)
        return collection

    async def unpublish(self, actor: Principal, collection_id: CollectionId) -> Collection:
        async with self._d.uow() as uow:
            collection, relation = await load_collection(uow, actor.user_id, collection_id)
            authorize(relation, Action.PUBLISH, what="collection")
            collection.unpublish(self._d.clock.now())
            await uow.collections.update(collection)
            await uow.commit()
        await self._d.cache.bump(COLLECTIONS)
        return collection

    async def public(self, slug: str) -> Collection:
        """The collection behind a public link; NotFound once the link is revoked."""
        if not slug or len(slug) > 64:
            raise NotFound("No such collection.")
        async with self._d.uow() as uow:
            collection = await uow.collections.get_by_slug(slug)
        if collection is None:
            raise NotFound("No such collection.")
        return collection
