"""A search over bookmarks as the search port receives it: scope, query, order, page."""

from __future__ import annotations

import msgspec

from project.domain.model.ids import CollectionId, UserId
from project.domain.model.pages import DEFAULT_PAGE_SIZE, Cursor, Sort
from project.domain.model.query import SearchQuery


class SearchScope(msgspec.Struct, frozen=True, kw_only=True):
    """Which bookmarks are candidates. Both set: bookmarks of that owner in those collections.

    The service builds the scope from what the caller may see; adapters only apply it, so
    every object query is scoped by owner or membership (S13).
    """

    owner_id: UserId | None = None
    collection_ids: tuple[CollectionId, ...] | None = None

    def __post_init__(self) -> None:
        if self.owner_id is None and self.collection_ids is None:
            raise ValueError("a search scope needs an owner or collections")


class SearchRequest(msgspec.Struct, frozen=True, kw_only=True):
    scope: SearchScope
    query: SearchQuery = msgspec.field(default_factory=SearchQuery)
    sort: Sort = Sort.NEWEST
    limit: int = DEFAULT_PAGE_SIZE
    cursor: Cursor | None = None
    with_total: bool = False

    @property
    def effective_sort(self) -> Sort:
        """Relevance needs words to rank by; without them the newest come first."""
        if self.sort is Sort.RELEVANCE and not self.query.has_text:
            return Sort.NEWEST
        return self.sort
