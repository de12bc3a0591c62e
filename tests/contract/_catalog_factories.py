"""Catalog entities with every field set, and a committing unit of work, for the contract suite."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from project.domain.model.bookmarks import ArchiveStatus, Bookmark, PageMetadata
from project.domain.model.collections import Collection, MemberRole, Membership
from project.domain.model.ids import BookmarkId, CollectionId, ImportJobId, SmartListId
from project.domain.model.imports import (
    ImportFormat,
    ImportJob,
    ImportMode,
    ImportReport,
    ImportStatus,
    InvalidEntry,
)
from project.domain.model.pages import Sort
from project.domain.model.smart_lists import SmartList
from project.domain.model.urls import canonical_url
from project.domain.model.users import User
from project.ports.catalog import CatalogUnitOfWork, CatalogUnitOfWorkFactory
from tests.contract._factories import T0, a_user, at


@asynccontextmanager
async def committing(factory: CatalogUnitOfWorkFactory) -> AsyncIterator[CatalogUnitOfWork]:
    async with factory() as uow:
        yield uow
        await uow.commit()


async def saved_users(factory: CatalogUnitOfWorkFactory, count: int = 1) -> list[User]:
    users = [a_user() for _ in range(count)]
    async with committing(factory) as uow:
        for user in users:
            await uow.users.add(user)
    return users


def a_bookmark(owner: User, url: str | None = None, **changes: Any) -> Bookmark:
    bookmark_id = BookmarkId(uuid.uuid4())
    address = url or f"https://example.com/{bookmark_id.hex}"
    fields: dict[str, Any] = {
        "id": bookmark_id,
        "owner_id": owner.id,
        "url": address,
        "canonical_url": canonical_url(address),
        "created_at": T0,
        "updated_at": T0,
    }
    bookmark = Bookmark(**(fields | changes))
    bookmark.tags = tuple(sorted(bookmark.tags))  # as the domain keeps them
    return bookmark


def a_full_bookmark(owner: User, collection: Collection, **changes: Any) -> Bookmark:
    """Every field away from its default, so a field that is not stored shows."""
    fields: dict[str, Any] = {
        "title": "Full title",
        "description": "A description",
        "notes": "Some *markdown* notes",
        "tags": ("python", "résumé", "z-last"),
        "collection_id": collection.id,
        "unread": True,
        "archived": True,
        "favorite": True,
        "created_at": at(-3600),
        "updated_at": at(60),
        "version": 7,
        "page": PageMetadata(
            title="Page title",
            description="Page description",
            site_name="Example",
            language="en",
            favicon_key="favicons/ab/cd.webp",
            preview_key="previews/ab/cd.webp",
            word_count=1234,
        ),
        "archive_status": ArchiveStatus.FAILED,
        "archive_error": "timed out",
        "archive_bytes": 3 * 2**30 + 7,  # past 32 bits
    }
    url = "https://Example.com:443/a/../Path?b=2&a=1&utm_source=x#frag"
    return a_bookmark(owner, url, **(fields | changes))


def a_collection(owner: User, name: str = "Reading", **changes: Any) -> Collection:
    fields: dict[str, Any] = {
        "id": CollectionId(uuid.uuid4()),
        "owner_id": owner.id,
        "name": name,
        "description": "Things to read",
        "public_slug": None,
        "created_at": T0,
        "updated_at": at(5),
    }
    return Collection(**(fields | changes))


def a_membership(collection: Collection, user: User, **changes: Any) -> Membership:
    fields: dict[str, Any] = {
        "collection_id": collection.id,
        "user_id": user.id,
        "role": MemberRole.VIEWER,
        "added_at": T0,
    }
    return Membership(**(fields | changes))


def a_smart_list(owner: User, name: str = "Unread python", **changes: Any) -> SmartList:
    fields: dict[str, Any] = {
        "id": SmartListId(uuid.uuid4()),
        "owner_id": owner.id,
        "name": name,
        "query": '#python is:unread "exact phrase"',
        "sort": Sort.TITLE,
        "created_at": T0,
        "updated_at": at(9),
    }
    return SmartList(**(fields | changes))


def an_import_job(owner: User, **changes: Any) -> ImportJob:
    report = ImportReport(created=3, updated=2, skipped=1)
    report.add_invalid(InvalidEntry(position=4, reason="Only http and https", url="ftp://x"))
    report.add_invalid(InvalidEntry(position=9, reason="A URL must name a host"))
    fields: dict[str, Any] = {
        "id": ImportJobId(uuid.uuid4()),
        "owner_id": owner.id,
        "status": ImportStatus.DONE,
        "file_name": "bookmarks_2025.html",
        "mode": ImportMode.UPDATE,
        "file_format": ImportFormat.JSONL,
        "folders_as_tags": True,
        "created_at": T0,
        "finished_at": at(42),
        "report": report,
        "error": None,
    }
    return ImportJob(**(fields | changes))
