"""The catalog's repository ports (ports/catalog.py), proved on SQLite and PostgreSQL.

`catalog_uow_factory` runs each test on a migrated SQLite file and a migrated PostgreSQL
database, emptied first.
"""

from __future__ import annotations

import uuid
from datetime import UTC

import msgspec
import pytest

from project.domain.model.bookmarks import ArchiveStatus, BookmarkChanges, PageMetadata
from project.domain.model.collections import MemberRole
from project.domain.model.errors import DuplicateBookmark
from project.domain.model.ids import BookmarkId, CollectionId, UserId
from project.domain.model.imports import ImportStatus
from project.domain.model.pages import Sort
from project.ports.catalog import CatalogUnitOfWorkFactory, TagCount
from project.ports.repositories import UnitOfWork
from tests.contract._catalog_factories import (
    a_bookmark,
    a_collection,
    a_full_bookmark,
    a_membership,
    a_smart_list,
    an_import_job,
    committing,
    saved_users,
)
from tests.contract._factories import PLUS_TWO, at, datetimes_of

# --- bookmarks ----------------------------------------------------------------------------


async def test_bookmark_round_trips_every_field_through_every_read(
    catalog_uow_factory: CatalogUnitOfWorkFactory,
) -> None:
    [owner] = await saved_users(catalog_uow_factory)
    collection = a_collection(owner)
    bookmark = a_full_bookmark(owner, collection, created_at=at(-3600).astimezone(PLUS_TWO))
    async with committing(catalog_uow_factory) as uow:
        await uow.collections.add(collection)
        await uow.bookmarks.add(bookmark)

    async with catalog_uow_factory() as uow:
        by_id = await uow.bookmarks.get(bookmark.id)
        many = await uow.bookmarks.get_many([bookmark.id])
        by_url = await uow.bookmarks.find_by_canonical_url(owner.id, bookmark.canonical_url)
        by_urls = await uow.bookmarks.find_by_canonical_urls(owner.id, [bookmark.canonical_url])
        exported = await uow.bookmarks.export_batch(owner.id, after=None, limit=10)

    assert by_id == bookmark
    assert list(many) == [bookmark]
    assert by_url == bookmark
    assert by_urls == {bookmark.canonical_url: bookmark}
    assert list(exported) == [bookmark]
    assert by_id is not None
    assert [value.tzinfo for value in datetimes_of(by_id)] == [UTC, UTC]


async def test_bookmark_with_defaults_round_trips(
    catalog_uow_factory: CatalogUnitOfWorkFactory,
) -> None:
    [owner] = await saved_users(catalog_uow_factory)
    bookmark = a_bookmark(owner)
    async with committing(catalog_uow_factory) as uow:
        await uow.bookmarks.add(bookmark)

    async with catalog_uow_factory() as uow:
        stored = await uow.bookmarks.get(bookmark.id)
    assert stored == bookmark
    assert stored is not None
    assert stored.tags == ()
    assert stored.page == PageMetadata()
    assert stored.archive_status is ArchiveStatus.NONE


async def test_unknown_bookmarks_are_none_or_left_out(
    catalog_uow_factory: CatalogUnitOfWorkFactory,
) -> None:
    [owner] = await saved_users(catalog_uow_factory)
    kept = a_bookmark(owner)
    async with committing(catalog_uow_factory) as uow:
        await uow.bookmarks.add(kept)

    missing = BookmarkId(uuid.uuid4())
    async with catalog_uow_factory() as uow:
        assert await uow.bookmarks.get(missing) is None
        assert list(await uow.bookmarks.get_many([missing, kept.id, kept.id])) == [kept]
        assert list(await uow.bookmarks.get_many([])) == []
        assert await uow.bookmarks.find_by_canonical_url(owner.id, "https://nowhere.test/") is None


async def test_canonical_url_lookups_are_scoped_by_owner(
    catalog_uow_factory: CatalogUnitOfWorkFactory,
) -> None:
    ann, bob = await saved_users(catalog_uow_factory, 2)
    anns = a_bookmark(ann, "https://shared.example/")
    async with committing(catalog_uow_factory) as uow:
        await uow.bookmarks.add(anns)

    async with catalog_uow_factory() as uow:
        assert await uow.bookmarks.find_by_canonical_url(bob.id, anns.canonical_url) is None
        assert await uow.bookmarks.find_by_canonical_urls(bob.id, [anns.canonical_url]) == {}


async def test_a_taken_canonical_url_raises_duplicate_with_the_existing_id(
    catalog_uow_factory: CatalogUnitOfWorkFactory,
) -> None:
    ann, bob = await saved_users(catalog_uow_factory, 2)
    first = a_bookmark(ann, "https://example.com/page?b=2&a=1")
    async with committing(catalog_uow_factory) as uow:
        await uow.bookmarks.add(first)

    again = a_bookmark(ann, "HTTPS://EXAMPLE.com:443/page?a=1&b=2#top", title="Again")
    assert again.canonical_url == first.canonical_url
    others = a_bookmark(bob, "https://example.com/page?b=2&a=1")
    later = a_bookmark(ann, tags=("kept",))
    async with committing(catalog_uow_factory) as uow:
        with pytest.raises(DuplicateBookmark) as raised:
            await uow.bookmarks.add(again)
        # The transaction goes on: another owner may save the URL, and other links may follow.
        await uow.bookmarks.add(others)
        await uow.bookmarks.add(later)

    assert raised.value.existing_id == first.id
    async with catalog_uow_factory() as uow:
        assert await uow.bookmarks.get(again.id) is None
        assert await uow.bookmarks.get(first.id) == first
        assert await uow.bookmarks.get(others.id) == others
        assert await uow.bookmarks.get(later.id) == later


async def test_update_stores_the_changes_when_the_version_is_the_expected_one(
    catalog_uow_factory: CatalogUnitOfWorkFactory,
) -> None:
    [owner] = await saved_users(catalog_uow_factory)
    collection = a_collection(owner)
    bookmark = a_bookmark(owner, tags=("a", "b"))
    async with committing(catalog_uow_factory) as uow:
        await uow.collections.add(collection)
        await uow.bookmarks.add(bookmark)

    changes = BookmarkChanges(
        url="https://changed.example/x",
        title="New",
        description="D",
        notes="N",
        tags=("b", "c"),
        collection_id=collection.id,
        unread=True,
        archived=True,
        favorite=True,
    )
    assert bookmark.apply(changes, at(30))
    bookmark.record_page(PageMetadata(title="Fetched", word_count=3), at(40), stored_bytes=4096)
    bookmark.archive_status, bookmark.archive_error = ArchiveStatus.ARCHIVED, None
    async with committing(catalog_uow_factory) as uow:
        assert await uow.bookmarks.update(bookmark, expected_version=1)

    async with catalog_uow_factory() as uow:
        stored = await uow.bookmarks.get(bookmark.id)
        by_new_url = await uow.bookmarks.find_by_canonical_url(owner.id, bookmark.canonical_url)
    assert stored == bookmark
    assert stored is not None
    assert stored.version == 3
    assert by_new_url == bookmark


async def test_update_against_a_stale_version_changes_nothing(
    catalog_uow_factory: CatalogUnitOfWorkFactory,
) -> None:
    [owner] = await saved_users(catalog_uow_factory)
    bookmark = a_bookmark(owner, tags=("old",))
    async with committing(catalog_uow_factory) as uow:
        await uow.bookmarks.add(bookmark)

    first = msgspec.structs.replace(bookmark)
    second = msgspec.structs.replace(bookmark)
    first.apply(BookmarkChanges(title="first writer"), at(1))
    second.apply(BookmarkChanges(title="second writer", tags=("new",)), at(2))
    async with committing(catalog_uow_factory) as uow:
        assert await uow.bookmarks.update(first, expected_version=1)
        assert not await uow.bookmarks.update(second, expected_version=1)

    async with catalog_uow_factory() as uow:
        assert await uow.bookmarks.get(bookmark.id) == first


async def test_update_rewrites_the_tags(catalog_uow_factory: CatalogUnitOfWorkFactory) -> None:
    [owner] = await saved_users(catalog_uow_factory)
    bookmark = a_bookmark(owner, tags=("keep", "drop"))
    async with committing(catalog_uow_factory) as uow:
        await uow.bookmarks.add(bookmark)

    for tags in (("keep", "add"), (), ("only",)):
        version = bookmark.version
        bookmark.apply(BookmarkChanges(tags=tags), at(version))
        async with committing(catalog_uow_factory) as uow:
            assert await uow.bookmarks.update(bookmark, expected_version=version)
        async with catalog_uow_factory() as uow:
            stored = await uow.bookmarks.get(bookmark.id)
            counts = await uow.tags.counts(owner.id)
        assert stored is not None
        assert stored.tags == tuple(sorted(tags))
        assert [tag.name for tag in counts] == sorted(tags)


async def test_update_onto_a_taken_url_raises_duplicate_and_the_transaction_goes_on(
    catalog_uow_factory: CatalogUnitOfWorkFactory,
) -> None:
    [owner] = await saved_users(catalog_uow_factory)
    taken, moving = a_bookmark(owner, "https://taken.example/"), a_bookmark(owner)
    async with committing(catalog_uow_factory) as uow:
        await uow.bookmarks.add(taken)
        await uow.bookmarks.add(moving)

    clash = msgspec.structs.replace(moving)
    clash.apply(BookmarkChanges(url="https://TAKEN.example"), at(1))
    fine = msgspec.structs.replace(taken)
    fine.apply(BookmarkChanges(title="still saved"), at(2))
    async with committing(catalog_uow_factory) as uow:
        with pytest.raises(DuplicateBookmark) as raised:
            await uow.bookmarks.update(clash, expected_version=1)
        assert await uow.bookmarks.update(fine, expected_version=1)

    assert raised.value.existing_id == taken.id
    async with catalog_uow_factory() as uow:
        assert await uow.bookmarks.get(moving.id) == moving
        assert await uow.bookmarks.get(taken.id) == fine


async def test_add_many_leaves_out_taken_urls_and_returns_the_ids_it_inserted(
    catalog_uow_factory: CatalogUnitOfWorkFactory,
) -> None:
    [owner] = await saved_users(catalog_uow_factory)
    kept = a_bookmark(owner, "https://taken.example/a", title="first", tags=("old",))
    async with committing(catalog_uow_factory) as uow:
        await uow.bookmarks.add(kept)
    again = a_bookmark(owner, "https://TAKEN.example/a#frag", title="second", tags=("new",))
    fresh = a_bookmark(owner, "https://taken.example/b")

    async with committing(catalog_uow_factory) as uow:
        inserted = await uow.bookmarks.add_many([again, fresh])

    assert inserted == {fresh.id}
    async with catalog_uow_factory() as uow:
        assert await uow.bookmarks.get(kept.id) == kept
        assert await uow.bookmarks.get(again.id) is None
        assert {c.name for c in await uow.tags.counts(owner.id)} == {"old"}


async def test_add_many_stores_a_batch_larger_than_one_statement(
    catalog_uow_factory: CatalogUnitOfWorkFactory,
) -> None:
    [owner] = await saved_users(catalog_uow_factory)
    batch = [
        a_bookmark(owner, f"https://bulk.example/{n}", title=f"n{n}", tags=(f"t{n % 3}", "all"))
        for n in range(1203)
    ]
    async with committing(catalog_uow_factory) as uow:
        await uow.bookmarks.add_many(batch)
        await uow.bookmarks.add_many([])

    async with catalog_uow_factory() as uow:
        urls = [b.canonical_url for b in batch]
        found = await uow.bookmarks.find_by_canonical_urls(owner.id, urls)
        counts = await uow.tags.counts(owner.id)
    assert found == {b.canonical_url: b for b in batch}
    assert counts == [
        TagCount(name="all", count=1203),
        TagCount(name="t0", count=401),
        TagCount(name="t1", count=401),
        TagCount(name="t2", count=401),
    ]


async def test_delete_removes_the_bookmark_and_its_tags(
    catalog_uow_factory: CatalogUnitOfWorkFactory,
) -> None:
    [owner] = await saved_users(catalog_uow_factory)
    gone, stays = a_bookmark(owner, tags=("x", "y")), a_bookmark(owner, tags=("y",))
    async with committing(catalog_uow_factory) as uow:
        await uow.bookmarks.add(gone)
        await uow.bookmarks.add(stays)
    async with committing(catalog_uow_factory) as uow:
        await uow.bookmarks.delete(gone.id)
        await uow.bookmarks.delete(BookmarkId(uuid.uuid4()))

    async with catalog_uow_factory() as uow:
        assert await uow.bookmarks.get(gone.id) is None
        assert await uow.bookmarks.get(stays.id) == stays
        assert await uow.tags.counts(owner.id) == [TagCount(name="y", count=1)]


async def test_storage_used_sums_each_owners_archive_bytes_replaced_and_freed_S23(
    catalog_uow_factory: CatalogUnitOfWorkFactory,
) -> None:
    ann, bob = await saved_users(catalog_uow_factory, 2)
    big = a_bookmark(ann, archive_bytes=3 * 2**30)  # past 32 bits, and summed past them
    small = a_bookmark(ann, archive_bytes=1500)
    async with committing(catalog_uow_factory) as uow:
        await uow.bookmarks.add_many(
            [big, small, a_bookmark(ann), a_bookmark(bob, archive_bytes=7)]
        )

    async with catalog_uow_factory() as uow:
        used = [
            await uow.bookmarks.storage_used(who) for who in (ann.id, bob.id, UserId(uuid.uuid4()))
        ]
    assert used == [3 * 2**30 + 1500, 7, 0]

    version = small.version
    small.record_page(PageMetadata(title="Again"), at(5), stored_bytes=500)
    async with committing(catalog_uow_factory) as uow:
        assert await uow.bookmarks.update(small, expected_version=version)
        await uow.bookmarks.delete(big.id)
    async with catalog_uow_factory() as uow:
        assert await uow.bookmarks.storage_used(ann.id) == 500
        assert await uow.bookmarks.storage_used(bob.id) == 7


async def test_export_batches_walk_the_owners_bookmarks_in_id_order(
    catalog_uow_factory: CatalogUnitOfWorkFactory,
) -> None:
    ann, bob = await saved_users(catalog_uow_factory, 2)
    anns = [a_bookmark(ann, tags=("t",)) for _ in range(11)]
    async with committing(catalog_uow_factory) as uow:
        await uow.bookmarks.add_many([*anns, a_bookmark(bob), a_bookmark(bob)])

    walked: list[BookmarkId] = []
    after: BookmarkId | None = None
    async with catalog_uow_factory() as uow:
        while batch := await uow.bookmarks.export_batch(ann.id, after=after, limit=4):
            assert len(batch) <= 4
            walked += [b.id for b in batch]
            after = batch[-1].id
    assert walked == sorted(b.id for b in anns)


async def test_deleting_the_owner_deletes_the_catalog(
    catalog_uow_factory: CatalogUnitOfWorkFactory,
) -> None:
    gone, stays = await saved_users(catalog_uow_factory, 2)
    collection = a_collection(gone)
    bookmark = a_full_bookmark(gone, collection)
    others = a_bookmark(stays, tags=("t",))
    async with committing(catalog_uow_factory) as uow:
        await uow.collections.add(collection)
        await uow.memberships.save(a_membership(collection, stays))
        await uow.bookmarks.add(bookmark)
        await uow.bookmarks.add(others)
        await uow.smart_lists.add(a_smart_list(gone))
        await uow.import_jobs.add(job := an_import_job(gone))
    async with committing(catalog_uow_factory) as uow:
        await uow.users.delete(gone.id)

    async with catalog_uow_factory() as uow:
        assert await uow.bookmarks.get(bookmark.id) is None
        assert await uow.collections.get(collection.id) is None
        assert await uow.memberships.collections_of(stays.id) == []
        assert await uow.smart_lists.list(gone.id) == []
        assert await uow.import_jobs.get(job.id) is None
        assert await uow.tags.counts(gone.id) == []
        assert await uow.bookmarks.get(others.id) == others


# --- tags -----------------------------------------------------------------------------------


async def test_tag_counts_are_per_owner_by_name(
    catalog_uow_factory: CatalogUnitOfWorkFactory,
) -> None:
    ann, bob = await saved_users(catalog_uow_factory, 2)
    async with committing(catalog_uow_factory) as uow:
        await uow.bookmarks.add(a_bookmark(ann, tags=("zeta", "a-b", "ab")))
        await uow.bookmarks.add(a_bookmark(ann, tags=("ab", "émoji")))
        await uow.bookmarks.add(a_bookmark(bob, tags=("bobs",)))

    async with catalog_uow_factory() as uow:
        counts = await uow.tags.counts(ann.id)
    assert counts == [
        TagCount(name="a-b", count=1),
        TagCount(name="ab", count=2),
        TagCount(name="zeta", count=1),
        TagCount(name="émoji", count=1),
    ]


async def test_renaming_a_tag_moves_every_holders_version_on(
    catalog_uow_factory: CatalogUnitOfWorkFactory,
) -> None:
    ann, bob = await saved_users(catalog_uow_factory, 2)
    holders = [a_bookmark(ann, tags=("old", "other")), a_bookmark(ann, tags=("old",))]
    bystander = a_bookmark(ann, tags=("other",))
    bobs = a_bookmark(bob, tags=("old",))
    async with committing(catalog_uow_factory) as uow:
        await uow.bookmarks.add_many([*holders, bystander, bobs])
        assert await uow.tags.rename(ann.id, "old", "new", at=at(100)) == 2

    async with catalog_uow_factory() as uow:
        renamed = await uow.bookmarks.get_many([b.id for b in holders])
        assert await uow.bookmarks.get(bystander.id) == bystander
        assert await uow.bookmarks.get(bobs.id) == bobs
        counts = await uow.tags.counts(ann.id)
    for bookmark in holders:
        bookmark.replace_tag("old", "new", at(100))
    assert sorted(renamed, key=lambda b: b.id) == sorted(holders, key=lambda b: b.id)
    assert {b.version for b in renamed} == {2}
    assert counts == [TagCount(name="new", count=2), TagCount(name="other", count=2)]


async def test_renaming_onto_an_existing_tag_merges_without_duplicates(
    catalog_uow_factory: CatalogUnitOfWorkFactory,
) -> None:
    [owner] = await saved_users(catalog_uow_factory)
    both = a_bookmark(owner, tags=("js", "javascript"))
    old_only = a_bookmark(owner, tags=("js",))
    new_only = a_bookmark(owner, tags=("javascript",))
    async with committing(catalog_uow_factory) as uow:
        await uow.bookmarks.add_many([both, old_only, new_only])
        assert await uow.tags.rename(owner.id, "js", "javascript", at=at(5)) == 2
        assert await uow.tags.rename(owner.id, "absent", "whatever", at=at(5)) == 0
        assert await uow.tags.rename(owner.id, "javascript", "javascript", at=at(5)) == 0

    async with catalog_uow_factory() as uow:
        ids = [both.id, old_only.id, new_only.id]
        stored = {b.id: b for b in await uow.bookmarks.get_many(ids)}
        counts = await uow.tags.counts(owner.id)
    assert {b.tags for b in stored.values()} == {("javascript",)}
    assert [stored[b.id].version for b in (both, old_only, new_only)] == [2, 2, 1]
    assert stored[both.id].updated_at == at(5)
    assert counts == [TagCount(name="javascript", count=3)]


async def test_deleting_a_tag_untags_its_holders_and_moves_their_versions(
    catalog_uow_factory: CatalogUnitOfWorkFactory,
) -> None:
    ann, bob = await saved_users(catalog_uow_factory, 2)
    holder, bystander = a_bookmark(ann, tags=("gone", "kept")), a_bookmark(ann, tags=("kept",))
    bobs = a_bookmark(bob, tags=("gone",))
    async with committing(catalog_uow_factory) as uow:
        await uow.bookmarks.add_many([holder, bystander, bobs])
        assert await uow.tags.delete(ann.id, "gone", at=at(7)) == 1

    async with catalog_uow_factory() as uow:
        stored = await uow.bookmarks.get(holder.id)
        assert await uow.bookmarks.get(bystander.id) == bystander
        assert await uow.bookmarks.get(bobs.id) == bobs
    holder.remove_tags(["gone"], at(7))
    assert stored == holder


# --- collections and members ------------------------------------------------------------------


async def test_collection_round_trips_and_is_found_by_its_slug(
    catalog_uow_factory: CatalogUnitOfWorkFactory,
) -> None:
    [owner] = await saved_users(catalog_uow_factory)
    collection = a_collection(owner, public_slug="Zx9-slug", created_at=at(0).astimezone(PLUS_TWO))
    private = a_collection(owner, "Private")
    async with committing(catalog_uow_factory) as uow:
        await uow.collections.add(collection)
        await uow.collections.add(private)

    async with catalog_uow_factory() as uow:
        assert await uow.collections.get(collection.id) == collection
        assert await uow.collections.get(private.id) == private
        assert await uow.collections.get_by_slug("Zx9-slug") == collection
        assert await uow.collections.get_by_slug("zx9-slug") is None
        assert await uow.collections.get(CollectionId(uuid.uuid4())) is None


async def test_collection_update_stores_every_field(
    catalog_uow_factory: CatalogUnitOfWorkFactory,
) -> None:
    [owner] = await saved_users(catalog_uow_factory)
    collection = a_collection(owner, public_slug="old-slug")
    async with committing(catalog_uow_factory) as uow:
        await uow.collections.add(collection)

    collection.edit(name="  Renamed   twice ", description="new", at=at(50))
    collection.unpublish(at(60))
    async with committing(catalog_uow_factory) as uow:
        await uow.collections.update(collection)
    async with catalog_uow_factory() as uow:
        assert await uow.collections.get(collection.id) == collection
        assert await uow.collections.get_by_slug("old-slug") is None


async def test_collections_of_a_user_are_owned_and_shared_ones_by_name(
    catalog_uow_factory: CatalogUnitOfWorkFactory,
) -> None:
    ann, bob, cid = await saved_users(catalog_uow_factory, 3)
    anns = [a_collection(ann, "beta"), a_collection(ann, "Alpha")]
    shared, unshared = a_collection(bob, "Gamma"), a_collection(bob, "delta")
    async with committing(catalog_uow_factory) as uow:
        for collection in (*anns, shared, unshared):
            await uow.collections.add(collection)
        await uow.memberships.save(a_membership(shared, ann, role=MemberRole.EDITOR))
        await uow.memberships.save(a_membership(unshared, cid))

    async with catalog_uow_factory() as uow:
        listed = await uow.collections.list_for_user(ann.id)
        cids = await uow.collections.list_for_user(cid.id)
    assert [c.name for c in listed] == ["Alpha", "beta", "Gamma"]
    assert list(cids) == [unshared]


async def test_deleting_a_collection_unassigns_its_bookmarks_and_drops_its_members(
    catalog_uow_factory: CatalogUnitOfWorkFactory,
) -> None:
    owner, member = await saved_users(catalog_uow_factory, 2)
    doomed, other = a_collection(owner, "doomed"), a_collection(owner, "other")
    inside = [a_bookmark(user, collection_id=doomed.id) for user in (owner, member)]
    outside = a_bookmark(owner, collection_id=other.id)
    async with committing(catalog_uow_factory) as uow:
        await uow.collections.add(doomed)
        await uow.collections.add(other)
        await uow.memberships.save(a_membership(doomed, member))
        await uow.memberships.save(a_membership(other, member))
        await uow.bookmarks.add_many([*inside, outside])
    async with committing(catalog_uow_factory) as uow:
        owners = await uow.collections.delete(doomed.id, at=at(99))

    assert owners == {owner.id, member.id}  # whose listings changed
    async with catalog_uow_factory() as uow:
        assert await uow.collections.get(doomed.id) is None
        assert await uow.memberships.list(doomed.id) == []
        assert await uow.memberships.collections_of(member.id) == [other.id]
        unassigned = await uow.bookmarks.get_many([b.id for b in inside])
        assert await uow.bookmarks.get(outside.id) == outside
    assert {(b.collection_id, b.version, b.updated_at) for b in unassigned} == {(None, 2, at(99))}


async def test_memberships_are_saved_listed_changed_and_deleted(
    catalog_uow_factory: CatalogUnitOfWorkFactory,
) -> None:
    owner, ann, bob = await saved_users(catalog_uow_factory, 3)
    first, second = a_collection(owner, "first"), a_collection(owner, "second")
    anns = a_membership(first, ann, added_at=at(0).astimezone(PLUS_TWO))
    bobs = a_membership(first, bob, role=MemberRole.EDITOR, added_at=at(10))
    async with committing(catalog_uow_factory) as uow:
        await uow.collections.add(first)
        await uow.collections.add(second)
        await uow.memberships.save(bobs)
        await uow.memberships.save(anns)
        await uow.memberships.save(a_membership(second, ann))

    async with catalog_uow_factory() as uow:
        assert await uow.memberships.get(first.id, ann.id) == anns
        assert await uow.memberships.get(first.id, owner.id) is None
        assert await uow.memberships.list(first.id) == [anns, bobs]
        assert sorted(await uow.memberships.collections_of(ann.id)) == sorted([first.id, second.id])

    promoted = msgspec.structs.replace(anns, role=MemberRole.EDITOR, added_at=at(500))
    async with committing(catalog_uow_factory) as uow:
        await uow.memberships.save(promoted)
        await uow.memberships.delete(first.id, bob.id)
    async with catalog_uow_factory() as uow:
        kept = await uow.memberships.get(first.id, ann.id)
        assert await uow.memberships.list(first.id) == [kept]
    assert kept == msgspec.structs.replace(anns, role=MemberRole.EDITOR)  # joined when it was


# --- smart lists and import jobs ------------------------------------------------------------


async def test_smart_lists_round_trip_listed_by_name(
    catalog_uow_factory: CatalogUnitOfWorkFactory,
) -> None:
    ann, bob = await saved_users(catalog_uow_factory, 2)
    later = a_smart_list(ann, "later", sort=Sort.RELEVANCE)
    first = a_smart_list(ann, "First", created_at=at(0).astimezone(PLUS_TWO))
    async with committing(catalog_uow_factory) as uow:
        await uow.smart_lists.add(later)
        await uow.smart_lists.add(first)
        await uow.smart_lists.add(a_smart_list(bob))

    async with catalog_uow_factory() as uow:
        assert await uow.smart_lists.get(first.id) == first
        assert await uow.smart_lists.list(ann.id) == [first, later]

    first.edit(name="Renamed", query="-is:archived", sort=Sort.OLDEST, at=at(70))
    async with committing(catalog_uow_factory) as uow:
        await uow.smart_lists.update(first)
        await uow.smart_lists.delete(later.id)
    async with catalog_uow_factory() as uow:
        assert await uow.smart_lists.list(ann.id) == [first]
        assert await uow.smart_lists.get(later.id) is None


async def test_import_job_round_trips_with_its_report(
    catalog_uow_factory: CatalogUnitOfWorkFactory,
) -> None:
    [owner] = await saved_users(catalog_uow_factory)
    done = an_import_job(owner)
    queued = an_import_job(owner, status=ImportStatus.QUEUED, finished_at=None)
    queued.report = type(queued.report)()
    async with committing(catalog_uow_factory) as uow:
        await uow.import_jobs.add(done)
        await uow.import_jobs.add(queued)

    async with catalog_uow_factory() as uow:
        assert await uow.import_jobs.get(done.id) == done
        assert await uow.import_jobs.get(queued.id) == queued

    queued.start()
    queued.fail("The file is not a bookmark file.", at(3))
    async with committing(catalog_uow_factory) as uow:
        await uow.import_jobs.update(queued)
    async with catalog_uow_factory() as uow:
        stored = await uow.import_jobs.get(queued.id)
    assert stored == queued
    assert stored is not None
    assert stored.report.processed == 0


# --- the unit of work -------------------------------------------------------------------------


async def test_one_unit_of_work_serves_the_auth_and_the_catalog_ports(
    catalog_uow_factory: CatalogUnitOfWorkFactory,
) -> None:
    [owner] = await saved_users(catalog_uow_factory)
    bookmark = a_bookmark(owner, "https://rolled.back/")
    async with catalog_uow_factory() as uow:
        await uow.bookmarks.add(bookmark)
        as_auth: UnitOfWork = uow
        assert await as_auth.users.get(owner.id) == owner
    async with catalog_uow_factory() as uow:  # not committed: rolled back
        assert await uow.bookmarks.get(bookmark.id) is None
