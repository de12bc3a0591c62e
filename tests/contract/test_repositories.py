"""One contract for the repository ports and the unit of work, proved on every backend.

The `uow_factory` fixture runs each test on memory, a migrated SQLite file and a migrated
PostgreSQL database; the last section checks the SQL plumbing (engine, migrations) itself.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC
from pathlib import Path

import msgspec
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from project.adapters.sql import (
    check_database,
    create_engine,
    current,
    downgrade,
    head,
    mask_url,
    to_async_url,
    upgrade,
    upgrade_async,
)
from project.domain.model.audit import AuditAction
from project.domain.model.errors import EmailTaken
from project.domain.model.ids import SessionId
from project.domain.model.tokens import Scope
from project.domain.model.users import Role, UserStatus
from project.ports.repositories import UnitOfWork, UnitOfWorkFactory
from tests.contract._factories import (
    PLUS_TWO,
    a_refresh_token,
    a_reset_token,
    a_session,
    a_user,
    an_api_token,
    an_event,
    an_invite,
    at,
    committing,
    datetimes_of,
    ordered_ids,
)
from tests.contract._schema import schema_differences, table_names

# --- users ------------------------------------------------------------------------------


async def test_user_round_trips_every_field_with_times_in_utc(
    uow_factory: UnitOfWorkFactory,
) -> None:
    user = a_user(
        role=Role.ADMIN,
        status=UserStatus.DISABLED,
        created_at=at(0).astimezone(PLUS_TWO),
        last_login_at=at(60),
        password_changed_at=at(30).astimezone(PLUS_TWO),
    )
    async with committing(uow_factory) as uow:
        await uow.users.add(user)

    async with uow_factory() as uow:
        by_id = await uow.users.get(user.id)
        by_email = await uow.users.get_by_email(user.email)

    assert by_id == user
    assert by_email == user
    assert by_id is not None
    assert [value.tzinfo for value in datetimes_of(by_id)] == [UTC, UTC, UTC]


async def test_user_without_optional_times_round_trips(uow_factory: UnitOfWorkFactory) -> None:
    user = a_user(display_name="")
    async with committing(uow_factory) as uow:
        await uow.users.add(user)

    async with uow_factory() as uow:
        assert await uow.users.get(user.id) == user


async def test_unknown_user_is_none_by_id_and_by_email(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        assert await uow.users.get(a_user().id) is None
        assert await uow.users.get_by_email("nobody@example.com") is None


async def test_adding_a_taken_email_raises_email_taken_and_stores_nothing(
    uow_factory: UnitOfWorkFactory,
) -> None:
    first = a_user(email="ann@example.com")
    second = a_user(email="ann@example.com", display_name="Impostor")
    async with committing(uow_factory) as uow:
        await uow.users.add(first)

    async with uow_factory() as uow:
        with pytest.raises(EmailTaken):
            await uow.users.add(second)
        await uow.commit()

    async with uow_factory() as uow:
        assert await uow.users.get(second.id) is None
        assert await uow.users.get_by_email("ann@example.com") == first
        assert await uow.users.count() == 1


async def test_unit_of_work_stays_usable_after_email_taken_on_add(
    uow_factory: UnitOfWorkFactory,
) -> None:
    first = a_user(email="ann@example.com")
    other = a_user(email="bob@example.com")
    async with committing(uow_factory) as uow:
        await uow.users.add(first)

    async with committing(uow_factory) as uow:
        with pytest.raises(EmailTaken):
            await uow.users.add(a_user(email="ann@example.com"))
        await uow.users.add(other)

    async with uow_factory() as uow:
        assert await uow.users.get(other.id) == other


async def test_update_stores_every_changed_field(uow_factory: UnitOfWorkFactory) -> None:
    user = a_user()
    async with committing(uow_factory) as uow:
        await uow.users.add(user)

    user.change_email("new.address@example.com")
    user.rename("New Name")
    user.set_role(Role.ADMIN, admins_left=0)
    user.disable(admins_left=2)
    user.record_login(at(10))
    user.change_password_hash("$argon2id$new", at(20))
    async with committing(uow_factory) as uow:
        await uow.users.update(user)

    async with uow_factory() as uow:
        assert await uow.users.get(user.id) == user
        assert await uow.users.get_by_email("new.address@example.com") == user


async def test_update_to_a_taken_email_raises_email_taken_and_changes_nothing(
    uow_factory: UnitOfWorkFactory,
) -> None:
    ann, bob = a_user(email="ann@example.com"), a_user(email="bob@example.com")
    async with committing(uow_factory) as uow:
        await uow.users.add(ann)
        await uow.users.add(bob)

    clash = msgspec.structs.replace(bob, email="ann@example.com", display_name="Clash")
    async with uow_factory() as uow:
        with pytest.raises(EmailTaken):
            await uow.users.update(clash)

    async with uow_factory() as uow:
        assert await uow.users.get(bob.id) == bob
        assert await uow.users.get_by_email("ann@example.com") == ann


async def test_the_store_keeps_its_own_copies(uow_factory: UnitOfWorkFactory) -> None:
    user = a_user(display_name="Stored")
    async with committing(uow_factory) as uow:
        await uow.users.add(user)
        user.rename("Changed after add")
        loaded = await uow.users.get(user.id)
        assert loaded is not None
        loaded.rename("Changed without update")

    async with uow_factory() as uow:
        stored = await uow.users.get(user.id)
    assert stored is not None
    assert stored.display_name == "Stored"


async def test_deleting_a_user_cascades_to_what_they_own_but_keeps_the_audit_trail(
    uow_factory: UnitOfWorkFactory,
) -> None:
    gone, stays = a_user(), a_user()
    session, other_session = a_session(gone), a_session(stays)
    refresh, api_token = a_refresh_token(session), an_api_token(gone)
    reset, invite = a_reset_token(gone), an_invite(gone)
    event = an_event(actor_id=gone.id, subject_id=gone.id)
    async with committing(uow_factory) as uow:
        await uow.users.add(gone)
        await uow.users.add(stays)
        await uow.sessions.add(session)
        await uow.sessions.add(other_session)
        await uow.refresh_tokens.add(refresh)
        await uow.api_tokens.add(api_token)
        await uow.password_resets.add(reset)
        await uow.invites.add(invite)
        await uow.audit.record(event)

    async with committing(uow_factory) as uow:
        await uow.users.delete(gone.id)

    async with uow_factory() as uow:
        assert await uow.users.get(gone.id) is None
        assert await uow.sessions.get(session.id) is None
        assert await uow.refresh_tokens.get(refresh.token_hash) is None
        assert await uow.api_tokens.get_by_hash(api_token.token_hash) is None
        assert await uow.password_resets.get(reset.token_hash) is None
        assert await uow.invites.get(invite.token_hash) is None
        assert await uow.audit.list(limit=10, subject_id=gone.id) == [event]
        assert await uow.sessions.get(other_session.id) == other_session
        assert await uow.users.get(stays.id) == stays


async def test_count_and_count_active_admins(uow_factory: UnitOfWorkFactory) -> None:
    async with committing(uow_factory) as uow:
        await uow.users.add(a_user(role=Role.ADMIN))
        await uow.users.add(a_user(role=Role.ADMIN))
        await uow.users.add(a_user(role=Role.ADMIN, status=UserStatus.DISABLED))
        await uow.users.add(a_user(role=Role.USER))

    async with uow_factory() as uow:
        assert await uow.users.count() == 4
        assert await uow.users.count_active_admins() == 2


async def test_list_users_orders_by_creation_then_id_and_pages(
    uow_factory: UnitOfWorkFactory,
) -> None:
    low_id, high_id = ordered_ids(2)
    users = [
        a_user(created_at=at(2)),
        a_user(id=high_id, created_at=at(3)),
        a_user(created_at=at(0)),
        a_user(id=low_id, created_at=at(3)),
        a_user(created_at=at(1)),
    ]
    async with committing(uow_factory) as uow:
        for user in users:
            await uow.users.add(user)
    expected = [users[2], users[4], users[0], users[3], users[1]]

    async with uow_factory() as uow:
        assert await uow.users.list(limit=10, offset=0) == expected
        assert await uow.users.list(limit=2, offset=1) == expected[1:3]
        assert await uow.users.list(limit=10, offset=5) == []


# --- the unit of work ---------------------------------------------------------------------


async def test_leaving_without_commit_discards_every_change(uow_factory: UnitOfWorkFactory) -> None:
    user = a_user()
    async with uow_factory() as uow:
        await uow.users.add(user)
        await uow.sessions.add(a_session(user))
        await uow.audit.record(an_event())

    async with uow_factory() as uow:
        assert await uow.users.count() == 0
        assert await uow.audit.list(limit=10) == []


async def test_an_error_inside_the_unit_discards_its_changes(
    uow_factory: UnitOfWorkFactory,
) -> None:
    user = a_user()

    async def add_then_fail() -> None:
        async with uow_factory() as uow:
            await uow.users.add(user)
            raise LookupError

    with pytest.raises(LookupError):
        await add_then_fail()

    async with uow_factory() as uow:
        assert await uow.users.get(user.id) is None


async def test_changes_stay_invisible_to_other_units_until_commit(
    uow_factory: UnitOfWorkFactory,
) -> None:
    user = a_user()
    async with uow_factory() as writer:
        await writer.users.add(user)
        assert await writer.users.get(user.id) == user
        async with uow_factory() as reader:
            assert await reader.users.get(user.id) is None
        await writer.commit()
        async with uow_factory() as reader:
            assert await reader.users.get(user.id) == user


async def test_rollback_discards_changes_and_the_unit_goes_on(
    uow_factory: UnitOfWorkFactory,
) -> None:
    dropped, kept = a_user(), a_user()
    async with uow_factory() as uow:
        await uow.users.add(dropped)
        await uow.rollback()
        assert await uow.users.get(dropped.id) is None
        await uow.users.add(kept)
        await uow.commit()

    async with uow_factory() as uow:
        assert await uow.users.get(dropped.id) is None
        assert await uow.users.get(kept.id) == kept


async def test_work_after_a_commit_needs_its_own_commit(uow_factory: UnitOfWorkFactory) -> None:
    committed, uncommitted = a_user(), a_user()
    async with uow_factory() as uow:
        await uow.users.add(committed)
        await uow.commit()
        await uow.users.add(uncommitted)

    async with uow_factory() as uow:
        assert await uow.users.get(committed.id) == committed
        assert await uow.users.get(uncommitted.id) is None


# --- sessions and refresh tokens -------------------------------------------------------------


async def test_session_round_trips_every_field(uow_factory: UnitOfWorkFactory) -> None:
    user = a_user()
    revoked = a_session(
        user,
        created_at=at(0).astimezone(PLUS_TWO),
        last_used_at=at(5),
        revoked_at=at(9).astimezone(PLUS_TWO),
        revoke_reason="logout",
    )
    bare = a_session(user, user_agent="", ip="")
    async with committing(uow_factory) as uow:
        await uow.users.add(user)
        await uow.sessions.add(revoked)
        await uow.sessions.add(bare)

    async with uow_factory() as uow:
        loaded = await uow.sessions.get(revoked.id)
        assert loaded == revoked
        assert await uow.sessions.get(bare.id) == bare
        assert await uow.sessions.get(SessionId(a_user().id)) is None
    assert loaded is not None
    assert {value.tzinfo for value in datetimes_of(loaded)} == {UTC}


async def test_session_update_stores_touch_and_revoke(uow_factory: UnitOfWorkFactory) -> None:
    user = a_user()
    session = a_session(user)
    async with committing(uow_factory) as uow:
        await uow.users.add(user)
        await uow.sessions.add(session)

    session.touch(at(60), ip="198.51.100.1", user_agent="curl/8.5")
    session.revoke(at(70), "logout")
    async with committing(uow_factory) as uow:
        await uow.sessions.update(session)

    async with uow_factory() as uow:
        assert await uow.sessions.get(session.id) == session


async def test_list_active_gives_the_users_unrevoked_sessions_oldest_first(
    uow_factory: UnitOfWorkFactory,
) -> None:
    user, other = a_user(), a_user()
    newer, older = a_session(user, created_at=at(10)), a_session(user, created_at=at(5))
    revoked = a_session(user, revoked_at=at(1), revoke_reason="logout")
    async with committing(uow_factory) as uow:
        await uow.users.add(user)
        await uow.users.add(other)
        for session in (newer, older, revoked, a_session(other)):
            await uow.sessions.add(session)

    async with uow_factory() as uow:
        assert await uow.sessions.list_active(user.id) == [older, newer]


async def test_revoke_all_revokes_every_live_session_but_keep_and_returns_their_ids(
    uow_factory: UnitOfWorkFactory,
) -> None:
    user, other = a_user(), a_user()
    first_id, second_id, kept_id = ordered_ids(3)
    first, second = a_session(user, id=first_id), a_session(user, id=second_id)
    kept = a_session(user, id=kept_id)
    earlier = a_session(user, revoked_at=at(1), revoke_reason="logout")
    elsewhere = a_session(other)
    async with committing(uow_factory) as uow:
        await uow.users.add(user)
        await uow.users.add(other)
        for session in (second, kept, first, earlier, elsewhere):
            await uow.sessions.add(session)

    async with committing(uow_factory) as uow:
        revoked = await uow.sessions.revoke_all(
            user.id, at=at(100), reason="password_change", keep=kept.id
        )

    assert list(revoked) == [first.id, second.id]
    async with uow_factory() as uow:
        for session in (first, second):
            stored = await uow.sessions.get(session.id)
            assert stored is not None
            assert (stored.revoked_at, stored.revoke_reason) == (at(100), "password_change")
        assert await uow.sessions.get(earlier.id) == earlier
        assert await uow.sessions.list_active(user.id) == [kept]
        assert await uow.sessions.list_active(other.id) == [elsewhere]


async def test_revoke_all_without_keep_ends_every_session_and_then_finds_none(
    uow_factory: UnitOfWorkFactory,
) -> None:
    user = a_user()
    session = a_session(user)
    async with committing(uow_factory) as uow:
        await uow.users.add(user)
        await uow.sessions.add(session)

    async with committing(uow_factory) as uow:
        assert list(await uow.sessions.revoke_all(user.id, at=at(1), reason="admin")) == [
            session.id
        ]
        assert list(await uow.sessions.revoke_all(user.id, at=at(2), reason="admin")) == []


async def test_refresh_token_round_trips_and_rotates_once(uow_factory: UnitOfWorkFactory) -> None:
    user = a_user()
    session = a_session(user)
    token = a_refresh_token(session, created_at=at(0).astimezone(PLUS_TWO))
    async with committing(uow_factory) as uow:
        await uow.users.add(user)
        await uow.sessions.add(session)
        await uow.refresh_tokens.add(token)

    async with committing(uow_factory) as uow:
        assert await uow.refresh_tokens.get(token.token_hash) == token
        assert await uow.refresh_tokens.mark_rotated(token.token_hash, at(30)) is True
        assert await uow.refresh_tokens.mark_rotated(token.token_hash, at(31)) is False

    async with uow_factory() as uow:
        rotated = await uow.refresh_tokens.get(token.token_hash)
        assert await uow.refresh_tokens.mark_rotated(token.token_hash, at(32)) is False
        assert await uow.refresh_tokens.mark_rotated("0" * 64, at(32)) is False
        assert await uow.refresh_tokens.get("0" * 64) is None
    assert rotated is not None
    assert rotated.rotated_at == at(30)
    assert rotated.rotated_at.tzinfo is UTC


# --- single-use claims under concurrency -----------------------------------------------------

Claim = Callable[[UnitOfWork, str, asyncio.Barrier], Awaitable[bool]]


async def _rotate(uow: UnitOfWork, token_hash: str, both_have_read: asyncio.Barrier) -> bool:
    await uow.refresh_tokens.get(token_hash)  # read, then claim, as the refresh use case does
    await both_have_read.wait()
    return await uow.refresh_tokens.mark_rotated(token_hash, at(60))


async def _use_reset(uow: UnitOfWork, token_hash: str, both_have_read: asyncio.Barrier) -> bool:
    await uow.password_resets.get(token_hash)
    await both_have_read.wait()
    return await uow.password_resets.mark_used(token_hash, at(60))


async def _use_invite(uow: UnitOfWork, token_hash: str, both_have_read: asyncio.Barrier) -> bool:
    await uow.invites.get(token_hash)
    await both_have_read.wait()
    return await uow.invites.mark_used(token_hash, at(60))


async def _seed_claimables(factory: UnitOfWorkFactory) -> dict[Claim, str]:
    user = a_user()
    session = a_session(user)
    refresh, reset, invite = a_refresh_token(session), a_reset_token(user), an_invite(user)
    async with committing(factory) as uow:
        await uow.users.add(user)
        await uow.sessions.add(session)
        await uow.refresh_tokens.add(refresh)
        await uow.password_resets.add(reset)
        await uow.invites.add(invite)
    return {
        _rotate: refresh.token_hash,
        _use_reset: reset.token_hash,
        _use_invite: invite.token_hash,
    }


@pytest.mark.parametrize(
    "claim", [_rotate, _use_reset, _use_invite], ids=["refresh", "reset", "invite"]
)
async def test_two_units_racing_for_one_single_use_token_give_exactly_one_winner(
    uow_factory: UnitOfWorkFactory, claim: Claim
) -> None:
    token_hash = (await _seed_claimables(uow_factory))[claim]
    both_have_read = asyncio.Barrier(2)

    async def contender() -> bool:
        async with uow_factory() as uow:
            won = await claim(uow, token_hash, both_have_read)
            await asyncio.sleep(0.05)  # hold the claim uncommitted while the other one tries
            await uow.commit()
            return won

    results = await asyncio.wait_for(asyncio.gather(contender(), contender()), timeout=10)

    assert sorted(results) == [False, True]


# --- API tokens, password resets, invites ----------------------------------------------------


@pytest.mark.parametrize(
    "scopes", [frozenset({Scope.READ}), frozenset({Scope.READ, Scope.WRITE})], ids=["r", "rw"]
)
async def test_api_token_round_trips_every_field(
    uow_factory: UnitOfWorkFactory, scopes: frozenset[Scope]
) -> None:
    user = a_user()
    full = an_api_token(
        user,
        scopes=scopes,
        created_at=at(0).astimezone(PLUS_TWO),
        expires_at=at(86400),
        last_used_at=at(50),
        revoked_at=at(60),
    )
    bare = an_api_token(user, scopes=scopes)
    async with committing(uow_factory) as uow:
        await uow.users.add(user)
        await uow.api_tokens.add(full)
        await uow.api_tokens.add(bare)

    async with uow_factory() as uow:
        loaded = await uow.api_tokens.get(full.id)
        assert loaded == full
        assert await uow.api_tokens.get_by_hash(full.token_hash) == full
        assert await uow.api_tokens.get(bare.id) == bare
        assert await uow.api_tokens.get_by_hash("0" * 64) is None
    assert loaded is not None
    assert loaded.scopes == scopes
    assert {value.tzinfo for value in datetimes_of(loaded)} == {UTC}


async def test_api_token_update_and_listing_per_user_oldest_first(
    uow_factory: UnitOfWorkFactory,
) -> None:
    user, other = a_user(), a_user()
    newer, older = an_api_token(user, created_at=at(9)), an_api_token(user, created_at=at(1))
    async with committing(uow_factory) as uow:
        await uow.users.add(user)
        await uow.users.add(other)
        for token in (newer, older, an_api_token(other)):
            await uow.api_tokens.add(token)

    older.last_used_at = at(20)
    older.revoke(at(30))
    async with committing(uow_factory) as uow:
        await uow.api_tokens.update(older)

    async with uow_factory() as uow:
        assert await uow.api_tokens.list_for_user(user.id) == [older, newer]
        assert await uow.api_tokens.get(older.id) == older


async def test_password_reset_token_round_trips_and_is_used_once(
    uow_factory: UnitOfWorkFactory,
) -> None:
    user = a_user()
    token = a_reset_token(user, created_at=at(0).astimezone(PLUS_TWO))
    async with committing(uow_factory) as uow:
        await uow.users.add(user)
        await uow.password_resets.add(token)

    async with committing(uow_factory) as uow:
        assert await uow.password_resets.get(token.token_hash) == token
        assert await uow.password_resets.mark_used(token.token_hash, at(5)) is True
        assert await uow.password_resets.mark_used(token.token_hash, at(6)) is False
        assert await uow.password_resets.mark_used("0" * 64, at(6)) is False

    async with uow_factory() as uow:
        used = await uow.password_resets.get(token.token_hash)
        assert await uow.password_resets.get("0" * 64) is None
    assert used is not None
    assert (used.used_at, used.expires_at) == (at(5), token.expires_at)
    assert {value.tzinfo for value in datetimes_of(used)} == {UTC}


@pytest.mark.parametrize("email", [None, "guest@example.com"])
async def test_invite_round_trips_and_is_used_once(
    uow_factory: UnitOfWorkFactory, email: str | None
) -> None:
    admin = a_user(role=Role.ADMIN)
    invite = an_invite(admin, email=email, created_at=at(0).astimezone(PLUS_TWO))
    async with committing(uow_factory) as uow:
        await uow.users.add(admin)
        await uow.invites.add(invite)

    async with committing(uow_factory) as uow:
        assert await uow.invites.get(invite.token_hash) == invite
        assert await uow.invites.mark_used(invite.token_hash, at(5)) is True
        assert await uow.invites.mark_used(invite.token_hash, at(6)) is False
        assert await uow.invites.mark_used("0" * 64, at(6)) is False

    async with uow_factory() as uow:
        used = await uow.invites.get(invite.token_hash)
        assert await uow.invites.get("0" * 64) is None
    assert used is not None
    assert (used.used_at, used.email) == (at(5), email)
    assert {value.tzinfo for value in datetimes_of(used)} == {UTC}


# --- audit log -----------------------------------------------------------------------------


async def test_audit_event_round_trips_every_field(uow_factory: UnitOfWorkFactory) -> None:
    actor, subject = a_user(), a_user()
    full = an_event(
        occurred_at=at(0).astimezone(PLUS_TWO),
        action=AuditAction.USER_ROLE_CHANGED,
        actor_id=actor.id,
        subject_id=subject.id,
        ip="2001:db8::1",
        detail={"from": "user", "to": "admin", "note": 'ünïcödé "quoted"'},
    )
    anonymous = an_event(occurred_at=at(-1), action=AuditAction.LOGIN_FAIL)
    async with committing(uow_factory) as uow:
        await uow.audit.record(full)
        await uow.audit.record(anonymous)

    async with uow_factory() as uow:
        events = await uow.audit.list(limit=10)
    assert events == [full, anonymous]
    assert events[0].occurred_at.tzinfo is UTC


async def test_audit_list_is_newest_first_with_ties_broken_by_id(
    uow_factory: UnitOfWorkFactory,
) -> None:
    low_id, high_id = ordered_ids(2)
    oldest, newest = an_event(occurred_at=at(1)), an_event(occurred_at=at(9))
    tie_low, tie_high = (
        an_event(id=low_id, occurred_at=at(5)),
        an_event(id=high_id, occurred_at=at(5)),
    )
    async with committing(uow_factory) as uow:
        for event in (tie_low, oldest, newest, tie_high):
            await uow.audit.record(event)

    async with uow_factory() as uow:
        assert await uow.audit.list(limit=10) == [newest, tie_high, tie_low, oldest]
        assert await uow.audit.list(limit=2, offset=1) == [tie_high, tie_low]
        assert await uow.audit.list(limit=10, offset=4) == []


async def test_audit_list_filters_by_subject_and_action(uow_factory: UnitOfWorkFactory) -> None:
    ann, bob = a_user(), a_user()
    ann_login = an_event(subject_id=ann.id, occurred_at=at(1))
    ann_fail = an_event(subject_id=ann.id, occurred_at=at(2), action=AuditAction.LOGIN_FAIL)
    bob_fail = an_event(subject_id=bob.id, occurred_at=at(3), action=AuditAction.LOGIN_FAIL)
    unknown_fail = an_event(occurred_at=at(4), action=AuditAction.LOGIN_FAIL)
    async with committing(uow_factory) as uow:
        for event in (ann_login, ann_fail, bob_fail, unknown_fail):
            await uow.audit.record(event)

    async with uow_factory() as uow:
        assert await uow.audit.list(limit=10, subject_id=ann.id) == [ann_fail, ann_login]
        fails = await uow.audit.list(limit=10, action=AuditAction.LOGIN_FAIL)
        assert fails == [unknown_fail, bob_fail, ann_fail]
        both = await uow.audit.list(limit=10, subject_id=bob.id, action=AuditAction.LOGIN_FAIL)
        assert both == [bob_fail]
        assert await uow.audit.list(limit=1, offset=1, action=AuditAction.LOGIN_FAIL) == [bob_fail]


# --- SQL plumbing: engine and migrations ---------------------------------------------------

SQL_ONLY = pytest.mark.parametrize(
    "uow_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)


@SQL_ONLY
async def test_check_database_answers_on_a_live_engine(uow_engine: AsyncEngine) -> None:
    await check_database(uow_engine)


async def test_sqlite_connections_enforce_foreign_keys_in_wal_mode(
    sqlite_engine: AsyncEngine,
) -> None:
    async with sqlite_engine.connect() as connection:
        pragmas = {
            name: (await connection.execute(text(f"PRAGMA {name}"))).scalar_one()
            for name in ("foreign_keys", "journal_mode", "busy_timeout", "synchronous")
        }
    assert pragmas == {
        "foreign_keys": 1,
        "journal_mode": "wal",
        "busy_timeout": 5000,
        "synchronous": 1,
    }


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://u:p@db:5432/app", "postgresql+asyncpg://u:p@db:5432/app"),
        ("postgres://u@db/app", "postgresql+asyncpg://u@db/app"),
        ("postgresql+asyncpg://u@db/app", "postgresql+asyncpg://u@db/app"),
        ("sqlite:///data/project.db", "sqlite+aiosqlite:///data/project.db"),
        ("sqlite+aiosqlite:////abs/project.db", "sqlite+aiosqlite:////abs/project.db"),
    ],
)
def test_to_async_url_names_the_async_driver(url: str, expected: str) -> None:
    assert to_async_url(url) == expected


def test_mask_url_hides_the_password() -> None:
    masked = mask_url("postgresql+asyncpg://app:s3cr%40t@db:5432/project")
    assert masked == "postgresql+asyncpg://app:***@db:5432/project"


def test_create_engine_refuses_other_databases() -> None:
    with pytest.raises(ValueError, match="unsupported database"):
        create_engine("mysql+aiomysql://app:secret@db/project")


async def test_migrated_schema_is_exactly_tables_py(empty_database_url: str) -> None:
    await upgrade_async(empty_database_url)

    assert await schema_differences(empty_database_url) == []
    assert await asyncio.to_thread(current, empty_database_url) == head()


async def test_upgrade_downgrade_to_base_then_upgrade_again(empty_database_url: str) -> None:
    url = empty_database_url
    await upgrade_async(url)
    await asyncio.to_thread(downgrade, url, "base")

    assert await asyncio.to_thread(current, url) is None
    assert await table_names(url) == {"alembic_version"}

    await upgrade_async(url)
    assert await asyncio.to_thread(current, url) == head()
    assert await schema_differences(url) == []


async def test_sync_migration_functions_refuse_to_run_inside_an_event_loop(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'never.db'}"
    with pytest.raises(RuntimeError, match="upgrade_async"):
        upgrade(url)
    with pytest.raises(RuntimeError, match="upgrade_async"):
        current(url)
