from datetime import timedelta

import pytest

from project.domain.model.audit import AuditAction
from project.domain.model.errors import AuthenticationFailed, InvalidInput, NotFound
from project.domain.model.tokens import TokenPair
from tests.unit._auth_kit import CTX, PASSWORD, AuthKit


async def _signed_in(kit: AuthKit, email: str = "ann@example.com") -> TokenPair:
    await kit.auth.register(email, PASSWORD, ctx=CTX)
    return await kit.auth.login(email, PASSWORD, ctx=CTX)


async def test_refresh_rotates_the_token_and_keeps_the_session(kit: AuthKit) -> None:
    first = await _signed_in(kit)
    second = await kit.auth.refresh(first.refresh_token, ctx=CTX)
    assert second.refresh_token != first.refresh_token
    assert second.session_id == first.session_id
    principal = await kit.auth.authenticate_access_token(second.access_token)
    assert principal.session_id == first.session_id


async def test_b4_replaying_a_rotated_refresh_token_revokes_the_whole_family(
    kit: AuthKit,
) -> None:
    rt1 = await _signed_in(kit)
    rt2 = await kit.auth.refresh(rt1.refresh_token, ctx=CTX)
    with pytest.raises(AuthenticationFailed):
        await kit.auth.refresh(rt1.refresh_token, ctx=CTX)
    with pytest.raises(AuthenticationFailed):
        await kit.auth.refresh(rt2.refresh_token, ctx=CTX)
    with pytest.raises(AuthenticationFailed):
        await kit.auth.authenticate_access_token(rt2.access_token)
    assert AuditAction.TOKEN_REUSE in [e.action for e in await kit.audit.list(None)]


async def test_unknown_refresh_token_is_refused(kit: AuthKit) -> None:
    await _signed_in(kit)
    with pytest.raises(AuthenticationFailed):
        await kit.auth.refresh("rt_not-a-real-token", ctx=CTX)


async def test_refresh_after_idle_expiry_is_refused(kit: AuthKit) -> None:
    pair = await _signed_in(kit)
    kit.clock.advance(timedelta(days=14, seconds=1))
    with pytest.raises(AuthenticationFailed):
        await kit.auth.refresh(pair.refresh_token, ctx=CTX)


async def test_refresh_after_absolute_expiry_is_refused_even_when_used_daily(
    kit: AuthKit,
) -> None:
    pair = await _signed_in(kit)
    for _ in range(59):
        kit.clock.advance(timedelta(days=1))
        pair = await kit.auth.refresh(pair.refresh_token, ctx=CTX)
    kit.clock.advance(timedelta(days=1, seconds=1))
    with pytest.raises(AuthenticationFailed):
        await kit.auth.refresh(pair.refresh_token, ctx=CTX)


async def test_b5_logout_rejects_the_sessions_access_token_at_once(kit: AuthKit) -> None:
    pair = await _signed_in(kit)
    principal = await kit.auth.authenticate_access_token(pair.access_token)
    await kit.sessions.logout(principal, ctx=CTX)
    with pytest.raises(AuthenticationFailed):
        await kit.auth.authenticate_access_token(pair.access_token)
    with pytest.raises(AuthenticationFailed):
        await kit.auth.refresh(pair.refresh_token, ctx=CTX)


async def test_logout_all_ends_every_session_of_the_user_only(kit: AuthKit) -> None:
    laptop = await _signed_in(kit)
    phone = await kit.auth.login("ann@example.com", PASSWORD, ctx=CTX)
    other = await _signed_in(kit, "bob@example.com")
    principal = await kit.auth.authenticate_access_token(laptop.access_token)
    assert await kit.sessions.logout_all(principal, ctx=CTX) == 2
    for pair in (laptop, phone):
        with pytest.raises(AuthenticationFailed):
            await kit.auth.authenticate_access_token(pair.access_token)
    await kit.auth.authenticate_access_token(other.access_token)


async def test_sessions_are_listed_newest_use_first_and_revocable(kit: AuthKit) -> None:
    laptop = await _signed_in(kit)
    kit.clock.advance(timedelta(minutes=1))
    phone = await kit.auth.login("ann@example.com", PASSWORD, ctx=CTX)
    principal = await kit.auth.authenticate_access_token(phone.access_token)
    listed = await kit.sessions.list(principal)
    assert [s.id for s in listed] == [phone.session_id, laptop.session_id]
    await kit.sessions.revoke(principal, laptop.session_id, ctx=CTX)
    assert [s.id for s in await kit.sessions.list(principal)] == [phone.session_id]
    with pytest.raises(AuthenticationFailed):
        await kit.auth.authenticate_access_token(laptop.access_token)


async def test_someone_elses_session_is_not_found(kit: AuthKit) -> None:
    ann = await _signed_in(kit)
    bob = await _signed_in(kit, "bob@example.com")
    bob_principal = await kit.auth.authenticate_access_token(bob.access_token)
    with pytest.raises(NotFound):
        await kit.sessions.revoke(bob_principal, ann.session_id, ctx=CTX)
    await kit.auth.authenticate_access_token(ann.access_token)


async def test_api_token_principal_has_no_session_to_log_out_of(kit: AuthKit) -> None:
    pair = await _signed_in(kit)
    me = await kit.auth.authenticate_access_token(pair.access_token)
    _, secret = await kit.tokens.create(me, name="script", scopes=["read"], ctx=CTX)
    via_token = await kit.auth.authenticate_api_token(secret)
    with pytest.raises(InvalidInput):
        await kit.sessions.logout(via_token, ctx=CTX)
