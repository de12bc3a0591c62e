import dataclasses
from datetime import timedelta
from pathlib import Path

import pytest

from project.adapters.argon2 import TEST_PARAMETERS, Argon2PasswordHasher
from project.domain.model.audit import AuditAction
from project.domain.model.errors import (
    AuthenticationFailed,
    EmailTaken,
    RegistrationClosed,
    WeakPassword,
)
from project.domain.model.registration import RegistrationMode
from project.domain.model.users import Role
from project.domain.services.authentication import AuthenticationService
from tests.unit._auth_kit import CTX, PASSWORD, AuthKit


async def test_first_registration_becomes_admin_and_later_ones_users(kit: AuthKit) -> None:
    first = await kit.auth.register("Ann@Example.com", PASSWORD, ctx=CTX)
    second = await kit.auth.register("bob@example.com", PASSWORD, ctx=CTX)
    assert (first.email, first.role) == ("ann@example.com", Role.ADMIN)
    assert second.role is Role.USER
    assert first.password_hash.startswith("$argon2id$")


async def test_duplicate_email_in_any_case_is_refused(kit: AuthKit) -> None:
    await kit.auth.register("ann@example.com", PASSWORD, ctx=CTX)
    with pytest.raises(EmailTaken):
        await kit.auth.register("ANN@example.com", PASSWORD, ctx=CTX)


async def test_common_password_is_refused_before_anything_is_stored(kit: AuthKit) -> None:
    with pytest.raises(WeakPassword):
        await kit.auth.register("ann@example.com", "password123", ctx=CTX)
    assert await kit.admin.list_users(None) == []


async def test_closed_registration_refuses_even_an_empty_instance(tmp_path: Path) -> None:
    kit = AuthKit(outbox=tmp_path, registration=RegistrationMode.CLOSED)
    with pytest.raises(RegistrationClosed):
        await kit.auth.register("ann@example.com", PASSWORD, ctx=CTX)


async def test_invite_mode_needs_a_single_use_invite_after_the_first_user(tmp_path: Path) -> None:
    kit = AuthKit(outbox=tmp_path, registration=RegistrationMode.INVITE)
    admin = await kit.auth.register("admin@example.com", PASSWORD, ctx=CTX)
    with pytest.raises(RegistrationClosed):
        await kit.auth.register("bob@example.com", PASSWORD, ctx=CTX)
    pair = await kit.auth.login("admin@example.com", PASSWORD, ctx=CTX)
    principal = await kit.auth.authenticate_access_token(pair.access_token)
    assert principal.user_id == admin.id
    invite = await kit.admin.create_invite(principal, ctx=CTX)
    await kit.auth.register("bob@example.com", PASSWORD, invite=invite, ctx=CTX)
    with pytest.raises(RegistrationClosed):
        await kit.auth.register("carol@example.com", PASSWORD, invite=invite, ctx=CTX)


async def test_login_issues_tokens_that_authenticate(kit: AuthKit) -> None:
    user = await kit.auth.register("ann@example.com", PASSWORD, ctx=CTX)
    pair = await kit.auth.login(" ANN@example.com ", PASSWORD, ctx=CTX)
    principal = await kit.auth.authenticate_access_token(pair.access_token)
    assert principal.user_id == user.id
    assert principal.session_id == pair.session_id
    assert pair.refresh_token.startswith("rt_")
    assert pair.expires_in == 15 * 60


async def test_unknown_email_and_wrong_password_fail_alike_and_both_run_argon2(
    kit: AuthKit,
) -> None:
    await kit.auth.register("ann@example.com", PASSWORD, ctx=CTX)
    before = kit.hasher.verifications
    with pytest.raises(AuthenticationFailed) as unknown:
        await kit.auth.login("nobody@example.com", PASSWORD, ctx=CTX)
    with pytest.raises(AuthenticationFailed) as wrong:
        await kit.auth.login("ann@example.com", PASSWORD + "x", ctx=CTX)
    assert str(unknown.value) == str(wrong.value)
    assert kit.hasher.verifications - before == 2


async def test_disabled_account_cannot_log_in_and_fails_like_a_wrong_password(
    kit: AuthKit,
) -> None:
    await kit.auth.register("admin@example.com", PASSWORD, ctx=CTX)
    bob = await kit.auth.register("bob@example.com", PASSWORD, ctx=CTX)
    await kit.admin.disable(None, bob.id, ctx=CTX)
    with pytest.raises(AuthenticationFailed, match="Incorrect email or password"):
        await kit.auth.login("bob@example.com", PASSWORD, ctx=CTX)


async def test_login_rehashes_when_parameters_change(kit: AuthKit) -> None:
    user = await kit.admin.create_user(None, "ann@example.com", PASSWORD, ctx=CTX)
    stronger = Argon2PasswordHasher(dataclasses.replace(TEST_PARAMETERS, time_cost=2))
    assert stronger.needs_rehash(user.password_hash)
    auth = AuthenticationService(dataclasses.replace(kit.deps, hasher=stronger))
    await auth.login("ann@example.com", PASSWORD, ctx=CTX)
    stored = await kit.admin.get_user(None, user.id)
    assert stored.password_hash != user.password_hash
    assert not stronger.needs_rehash(stored.password_hash)


async def test_login_success_and_failure_are_audited(kit: AuthKit) -> None:
    await kit.auth.register("ann@example.com", PASSWORD, ctx=CTX)
    await kit.auth.login("ann@example.com", PASSWORD, ctx=CTX)
    with pytest.raises(AuthenticationFailed):
        await kit.auth.login("ann@example.com", "wrong password!!", ctx=CTX)
    actions = [e.action for e in await kit.audit.list(None)]
    assert actions[:3] == [
        AuditAction.LOGIN_FAIL,
        AuditAction.LOGIN_SUCCESS,
        AuditAction.USER_CREATED,
    ]
    assert all(e.ip == CTX.ip for e in await kit.audit.list(None))


async def test_access_token_expires_with_its_lifetime(kit: AuthKit) -> None:
    await kit.auth.register("ann@example.com", PASSWORD, ctx=CTX)
    pair = await kit.auth.login("ann@example.com", PASSWORD, ctx=CTX)
    kit.clock.advance(timedelta(minutes=16))
    with pytest.raises(AuthenticationFailed):
        await kit.auth.authenticate_access_token(pair.access_token)
