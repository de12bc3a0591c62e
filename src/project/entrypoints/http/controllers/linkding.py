"""The linkding-compatible REST API under /api/ (SPEC 4.1): an adapter over our services.

Clients send `Authorization: Token pat_...` (a personal API token; a read-only one cannot
write). Lists page by linkding's `limit`/`offset` with `{count, next, previous, results}`;
our search pages by keyset cursor, so an offset is reached by walking cursor pages, at most
MAX_OFFSET deep. `q` goes to our query parser: `#tag`, words, `"phrases"`, `-word` and
`-#tag` mean what they mean in linkding, and linkding's `!unread` is translated.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from importlib.metadata import PackageNotFoundError, version
from typing import Annotated
from urllib.parse import urlencode
from uuid import UUID

from litestar import Controller, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from project.domain.model.bookmarks import Bookmark, BookmarkChanges
from project.domain.model.errors import DuplicateBookmark, NotFound
from project.domain.model.ids import BookmarkId
from project.domain.model.pages import MAX_PAGE_SIZE, Page, Sort
from project.domain.model.principal import Principal
from project.domain.model.tags import normalize_tag
from project.domain.services.accounts import AccountService
from project.domain.services.bookmarks import BookmarkService
from project.domain.services.search import SearchService
from project.domain.services.tags import TagService
from project.entrypoints.http.schemas.linkding import (
    DEFAULT_LIMIT,
    CheckUrl,
    Limit,
    LinkdingBookmark,
    LinkdingBookmarkIn,
    LinkdingBookmarkList,
    LinkdingBookmarkPatch,
    LinkdingCheck,
    LinkdingProfile,
    LinkdingTag,
    LinkdingTagIn,
    LinkdingTagList,
    Offset,
    Query,
    tag_id,
)
from project.entrypoints.library import Project

BOOKMARKS_PATH = "/api/bookmarks"
TAGS_PATH = "/api/tags"

# linkding's `sort` values we can honour; any other value keeps the default (newest first).
_SORTS = {"added_desc": Sort.NEWEST, "added_asc": Sort.OLDEST, "title_asc": Sort.TITLE}
_UNREAD = {"yes": "is:unread", "no": "-is:unread"}
# Filters a page link repeats only when they differ from these.
_DEFAULTS = {"q": "", "sort": "added_desc", "unread": "off"}

SortParam = Annotated[
    str, QueryParameter(max_length=32, description="added_desc, added_asc or title_asc.")
]
UnreadParam = Annotated[str, QueryParameter(max_length=8, description="yes, no or off.")]
# One cursor page of our search, as the offset walk asks for it: (cursor, size, with_total).
_Fetch = Callable[[str | None, int, bool], Awaitable[Page[Bookmark]]]
# The absolute URL of a list page: (limit, offset).
_PageUrl = Callable[[int, int], str]


class LinkdingBookmarkController(Controller):
    path = BOOKMARKS_PATH
    tags = ["linkding"]

    @get("/")
    async def list_bookmarks(
        self,
        search: NamedDependency[SearchService],
        principal: NamedDependency[Principal],
        project: NamedDependency[Project],
        q: Query = "",
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
        sort: SortParam = "added_desc",
        unread: UnreadParam = "off",
    ) -> LinkdingBookmarkList:
        """The caller's bookmarks that are not archived."""
        query = _query(q, unread, "-is:archived")
        fetch = _searcher(search, principal, query, sort)
        url = _page_url(project, f"{BOOKMARKS_PATH}/", q=q, sort=sort, unread=unread)
        return await _bookmark_list(fetch, url, limit, offset, project.settings.public_url)

    @get("/archived")
    async def list_archived_bookmarks(
        self,
        search: NamedDependency[SearchService],
        principal: NamedDependency[Principal],
        project: NamedDependency[Project],
        q: Query = "",
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
        sort: SortParam = "added_desc",
        unread: UnreadParam = "off",
    ) -> LinkdingBookmarkList:
        query = _query(q, unread, "is:archived")
        fetch = _searcher(search, principal, query, sort)
        url = _page_url(project, f"{BOOKMARKS_PATH}/archived/", q=q, sort=sort, unread=unread)
        return await _bookmark_list(fetch, url, limit, offset, project.settings.public_url)

    @get("/shared")
    async def list_shared_bookmarks(
        self,
        search: NamedDependency[SearchService],
        principal: NamedDependency[Principal],
        project: NamedDependency[Project],
        q: Query = "",
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
        sort: SortParam = "added_desc",
        unread: UnreadParam = "off",
    ) -> LinkdingBookmarkList:
        """Bookmarks in the collections the caller is a member of."""
        query = _query(q, unread)
        order = _SORTS.get(sort, Sort.NEWEST)

        def fetch(cursor: str | None, size: int, total: bool) -> Awaitable[Page[Bookmark]]:
            return search.shared_with_me(
                principal, query, sort=order, limit=size, cursor=cursor, with_total=total
            )

        url = _page_url(project, f"{BOOKMARKS_PATH}/shared/", q=q, sort=sort, unread=unread)
        return await _bookmark_list(fetch, url, limit, offset, project.settings.public_url)

    @get("/check")
    async def check_bookmark(
        self,
        url: CheckUrl,
        bookmarks: NamedDependency[BookmarkService],
        principal: NamedDependency[Principal],
        project: NamedDependency[Project],
    ) -> LinkdingCheck:
        """Whether the URL is saved already (by canonical URL); nothing is fetched."""
        found = await bookmarks.check_url(principal, url)
        return LinkdingCheck.of(url, found.bookmark, project.settings.public_url)

    @post("/", status_code=201)
    async def create_bookmark(
        self,
        data: JSONBody[LinkdingBookmarkIn],
        bookmarks: NamedDependency[BookmarkService],
        principal: NamedDependency[Principal],
        project: NamedDependency[Project],
    ) -> LinkdingBookmark:
        """Save a link; like linkding, a URL saved already updates that bookmark (still 201),
        here with the fields sent only."""
        try:
            saved = await bookmarks.create(principal, data.draft())
        except DuplicateBookmark as duplicate:
            existing = BookmarkId(UUID(str(duplicate.existing_id)))
            saved = await bookmarks.update(principal, existing, data.changes())
        return LinkdingBookmark.of(saved, project.settings.public_url)

    @get("/{bookmark_id:uuid}")
    async def get_bookmark(
        self,
        bookmark_id: FromPath[UUID],
        bookmarks: NamedDependency[BookmarkService],
        principal: NamedDependency[Principal],
        project: NamedDependency[Project],
    ) -> LinkdingBookmark:
        bookmark = await bookmarks.get(principal, BookmarkId(bookmark_id))
        return LinkdingBookmark.of(bookmark, project.settings.public_url)

    @put("/{bookmark_id:uuid}")
    async def replace_bookmark(
        self,
        bookmark_id: FromPath[UUID],
        data: JSONBody[LinkdingBookmarkIn],
        bookmarks: NamedDependency[BookmarkService],
        principal: NamedDependency[Principal],
        project: NamedDependency[Project],
    ) -> LinkdingBookmark:
        """linkding's PUT: `url` is required, fields not sent stay as they are."""
        changed = await bookmarks.update(principal, BookmarkId(bookmark_id), data.changes())
        return LinkdingBookmark.of(changed, project.settings.public_url)

    @patch("/{bookmark_id:uuid}")
    async def update_bookmark(
        self,
        bookmark_id: FromPath[UUID],
        data: JSONBody[LinkdingBookmarkPatch],
        bookmarks: NamedDependency[BookmarkService],
        principal: NamedDependency[Principal],
        project: NamedDependency[Project],
    ) -> LinkdingBookmark:
        changed = await bookmarks.update(principal, BookmarkId(bookmark_id), data.changes())
        return LinkdingBookmark.of(changed, project.settings.public_url)

    @delete("/{bookmark_id:uuid}", status_code=204)
    async def delete_bookmark(
        self,
        bookmark_id: FromPath[UUID],
        bookmarks: NamedDependency[BookmarkService],
        principal: NamedDependency[Principal],
    ) -> None:
        await bookmarks.delete(principal, BookmarkId(bookmark_id))

    @post("/{bookmark_id:uuid}/archive", status_code=204)
    async def archive_bookmark(
        self,
        bookmark_id: FromPath[UUID],
        bookmarks: NamedDependency[BookmarkService],
        principal: NamedDependency[Principal],
    ) -> None:
        await bookmarks.update(principal, BookmarkId(bookmark_id), BookmarkChanges(archived=True))

    @post("/{bookmark_id:uuid}/unarchive", status_code=204)
    async def unarchive_bookmark(
        self,
        bookmark_id: FromPath[UUID],
        bookmarks: NamedDependency[BookmarkService],
        principal: NamedDependency[Principal],
    ) -> None:
        changes = BookmarkChanges(archived=False)
        await bookmarks.update(principal, BookmarkId(bookmark_id), changes)


class LinkdingTagController(Controller):
    """Tags exist only on bookmarks here: POST answers the tag without storing anything."""

    path = TAGS_PATH
    tags = ["linkding"]

    @get("/")
    async def list_tags(
        self,
        tagging: NamedDependency[TagService],
        accounts: NamedDependency[AccountService],
        principal: NamedDependency[Principal],
        project: NamedDependency[Project],
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> LinkdingTagList:
        names = [count.name for count in await tagging.counts(principal)]
        since = (await accounts.me(principal)).created_at
        window = names[offset : offset + limit]
        url = _page_url(project, f"{TAGS_PATH}/")
        previous, following = _neighbours(url, limit, offset, len(names))
        return LinkdingTagList(
            count=len(names),
            next=following,
            previous=previous,
            results=[LinkdingTag.named(name, since) for name in window],
        )

    @post("/", status_code=201)
    async def create_tag(
        self,
        data: JSONBody[LinkdingTagIn],
        accounts: NamedDependency[AccountService],
        principal: NamedDependency[Principal],
    ) -> LinkdingTag:
        name = normalize_tag(data.name)
        return LinkdingTag.named(name, (await accounts.me(principal)).created_at)

    @get("/{tag_uuid:uuid}")
    async def get_tag(
        self,
        tag_uuid: FromPath[UUID],
        tagging: NamedDependency[TagService],
        accounts: NamedDependency[AccountService],
        principal: NamedDependency[Principal],
    ) -> LinkdingTag:
        names = [count.name for count in await tagging.counts(principal)]
        name = next((n for n in names if tag_id(n) == tag_uuid), None)
        if name is None:
            raise NotFound("No such tag.")
        return LinkdingTag.named(name, (await accounts.me(principal)).created_at)


class LinkdingUserController(Controller):
    path = "/api/user"
    tags = ["linkding"]

    @get("/profile")
    async def get_profile(self) -> LinkdingProfile:
        """linkding's preferences, fixed to how this service behaves."""
        return LinkdingProfile(version=_version())


def _query(q: str, unread: str, *extra: str) -> str:
    words = ["is:unread" if word == "!unread" else word for word in q.split()]
    return " ".join([*words, *filter(None, [_UNREAD.get(unread)]), *extra])


def _searcher(search: SearchService, principal: Principal, query: str, sort: str) -> _Fetch:
    order = _SORTS.get(sort, Sort.NEWEST)

    def fetch(cursor: str | None, size: int, total: bool) -> Awaitable[Page[Bookmark]]:
        return search.search(
            principal, query, sort=order, limit=size, cursor=cursor, with_total=total
        )

    return fetch


async def _bookmark_list(
    fetch: _Fetch, url: _PageUrl, limit: int, offset: int, origin: str
) -> LinkdingBookmarkList:
    window, count = await _window(fetch, offset, limit)
    previous, following = _neighbours(url, limit, offset, count)
    return LinkdingBookmarkList(
        count=count,
        next=following,
        previous=previous,
        results=[LinkdingBookmark.of(b, origin) for b in window],
    )


async def _window(fetch: _Fetch, offset: int, limit: int) -> tuple[Sequence[Bookmark], int]:
    """Rows offset..offset+limit and the total, by walking keyset pages from the start."""
    wanted = offset + limit
    items: list[Bookmark] = []
    page = await fetch(None, min(wanted, MAX_PAGE_SIZE), True)
    total = page.total if page.total is not None else 0
    items.extend(page.items)
    while len(items) < wanted and page.next_cursor is not None:
        page = await fetch(page.next_cursor, MAX_PAGE_SIZE, False)
        items.extend(page.items)
    return items[offset:wanted], total


def _page_url(project: Project, path: str, **params: str) -> _PageUrl:
    """The absolute URL of the page at an offset, keeping the request's filters."""
    base = project.settings.public_url.rstrip("/") + path
    kept = {k: v for k, v in params.items() if v != _DEFAULTS.get(k, "")}

    def url(limit: int, offset: int) -> str:
        paging = {"limit": str(limit), **({"offset": str(offset)} if offset else {})}
        return f"{base}?{urlencode({**kept, **paging})}"

    return url


def _neighbours(
    url: _PageUrl, limit: int, offset: int, count: int
) -> tuple[str | None, str | None]:
    """linkding's `previous` and `next` links (no `offset` on the way back to the start)."""
    previous = url(limit, max(offset - limit, 0)) if offset > 0 else None
    following = url(limit, offset + limit) if offset + limit < count else None
    return previous, following


def _version() -> str:
    try:
        return version("project")
    except PackageNotFoundError:
        return "0.0.0"
