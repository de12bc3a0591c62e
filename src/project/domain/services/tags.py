"""Tags of one user: counts, rename, merge, delete (SPEC 3.3)."""

from __future__ import annotations

from collections.abc import Sequence

from project.domain.model.cache_keys import TAGS_TTL, catalog_scope, tag_counts_key
from project.domain.model.errors import InvalidInput, NotFound
from project.domain.model.principal import Principal
from project.domain.model.tags import normalize_tag
from project.domain.services._catalog import CatalogDeps
from project.ports.catalog import TagCount

MAX_MERGE_SOURCES = 100


class TagService:
    def __init__(self, deps: CatalogDeps) -> None:
        self._d = deps

    async def counts(self, actor: Principal) -> Sequence[TagCount]:
        """Cached until any of the caller's bookmarks changes (the catalog version moves)."""

        async def load() -> list[TagCount]:
            async with self._d.uow() as uow:
                return list(await uow.tags.counts(actor.user_id))

        version = await self._d.cache.version(catalog_scope(actor.user_id))
        key = tag_counts_key(actor.user_id, version)
        return await self._d.cache.get_or_load(key, list[TagCount], load, TAGS_TTL)

    async def rename(self, actor: Principal, old: str, new: str) -> int:
        """`old` becomes `new` on every bookmark of the caller; merging if `new` exists.
        Returns how many bookmarks changed; NotFound when no bookmark has `old`."""
        return await self.merge(actor, [old], new)

    async def merge(self, actor: Principal, sources: Sequence[str], into: str) -> int:
        target = normalize_tag(into)
        names = list(dict.fromkeys(normalize_tag(s) for s in sources))
        if not 1 <= len(names) <= MAX_MERGE_SOURCES:
            raise InvalidInput(f"Give 1 to {MAX_MERGE_SOURCES} tags to merge.")
        now = self._d.clock.now()
        async with self._d.uow() as uow:
            existing = {c.name for c in await uow.tags.counts(actor.user_id)}
            unknown = [name for name in names if name not in existing]
            if unknown:
                raise NotFound(f"No such tag: {unknown[0]}.")
            changed = 0
            for name in names:
                if name != target:
                    changed += await uow.tags.rename(actor.user_id, name, target, at=now)
            await uow.commit()
        await self._d.cache.bump(catalog_scope(actor.user_id))
        return changed

    async def delete(self, actor: Principal, name: str) -> int:
        tag = normalize_tag(name)
        async with self._d.uow() as uow:
            changed = await uow.tags.delete(actor.user_id, tag, at=self._d.clock.now())
            if changed == 0:
                raise NotFound(f"No such tag: {tag}.")
            await uow.commit()
        await self._d.cache.bump(catalog_scope(actor.user_id))
        return changed
