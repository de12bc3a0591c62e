from datetime import timedelta

import pytest

from project.domain.model.errors import (
    AuthenticationFailed,
    LastAdministrator,
    NotFound,
    PermissionDenied,
    WeakPassword,
    WrongPassword,
)
from project.domain.model.ids import UserId
from project.domain.model.principal import Principal
from project.domain.model.tokens import Scope
from project.domain.model.users import Role, UserStatus
from tests.unit._auth_kit import CTX, PASSWORD, AuthKit

NEW_PASSWORD = "another long passphrase 7"


async def _principal(kit: AuthKit, email: str) -> tuple[Principal, str]:
    pair = await kit.auth.login(email, PASSWORD, ctx=CTX)
    return await kit.auth.authenticate_access_token(pair.access_token), pair.access_token


async def test_b5_password_change_ends_other_sessions_but_keeps_this_one(kit: AuthKit) -> None:
    await kit.auth.register("ann@example.com", PASSWORD, ctx=CTX)
    here, here_token = await _principal(kit, "ann@example.com")
    _, elsewhere_token = await _principal(kit, "ann@example.com")
    await kit.passwords.change(here, PASSWORD, NEW_PASSWORD, ctx=CTX)
    await kit.auth.authenticate_access_token(here_token)
    with pytest.raises(AuthenticationFailed):
        await kit.auth.authenticate_access_token(elsewhere_token)
    with pytest.raises(AuthenticationFailed):
        await kit.auth.login("ann@example.com", PASSWORD, ctx=CTX)
    await kit.auth.login("ann@example.com", NEW_PASSWORD, ctx=CTX)


async def test_password_change_needs_the_current_password(kit: AuthKit) -> None:
    await kit.auth.register("ann@example.com", PASSWORD, ctx=CTX)
    me, _ = await _principal(kit, "ann@example.com")
    with pytest.raises(WrongPassword):
        await kit.passwords.change(me, "not my password", NEW_PASSWORD, ctx=CTX)
    with pytest.raises(WeakPassword):
        await kit.passwords.change(me, PASSWORD, "password123", ctx=CTX)


async def test_reset_request_mails_only_existing_accounts_and_answers_the_same(
    kit: AuthKit,
) -> None:
    await kit.auth.register("ann@example.com", PASSWORD, ctx=CTX)
    assert await kit.passwords.request_reset("nobody@example.com", ctx=CTX) is None
    assert await kit.passwords.request_reset("not an email", ctx=CTX) is None
    assert kit.mails() == []
    assert await kit.passwords.request_reset("ANN@example.com", ctx=CTX) is None
    [mail] = kit.mails()
    assert "To: ann@example.com" in mail
    assert "https://bm.test/reset-password?token=prt_" in mail


def _token_from(mail: str) -> str:
    return mail.split("reset token: ")[1].split()[0]


async def test_b5_reset_token_works_once_and_ends_every_session(kit: AuthKit) -> None:
    await kit.auth.register("ann@example.com", PASSWORD, ctx=CTX)
    _, access = await _principal(kit, "ann@example.com")
    await kit.passwords.request_reset("ann@example.com", ctx=CTX)
    token = _token_from(kit.mails()[0])
    await kit.passwords.confirm_reset(token, NEW_PASSWORD, ctx=CTX)
    with pytest.raises(AuthenticationFailed):
        await kit.auth.authenticate_access_token(access)
    with pytest.raises(AuthenticationFailed):
        await kit.passwords.confirm_reset(token, "yet another passphrase 9", ctx=CTX)
    await kit.auth.login("ann@example.com", NEW_PASSWORD, ctx=CTX)


async def test_reset_token_expires_after_thirty_minutes(kit: AuthKit) -> None:
    await kit.auth.register("ann@example.com", PASSWORD, ctx=CTX)
    await kit.passwords.request_reset("ann@example.com", ctx=CTX)
    kit.clock.advance(timedelta(minutes=30, seconds=1))
    with pytest.raises(AuthenticationFailed):
        await kit.passwords.confirm_reset(_token_from(kit.mails()[0]), NEW_PASSWORD, ctx=CTX)


async def test_b5_disabling_a_user_rejects_their_tokens_at_once(kit: AuthKit) -> None:
    await kit.auth.register("admin@example.com", PASSWORD, ctx=CTX)
    bob = await kit.auth.register("bob@example.com", PASSWORD, ctx=CTX)
    admin, _ = await _principal(kit, "admin@example.com")
    _, bob_token = await _principal(kit, "bob@example.com")
    disabled = await kit.admin.disable(admin, bob.id, ctx=CTX)
    assert disabled.status is UserStatus.DISABLED
    with pytest.raises(AuthenticationFailed):
        await kit.auth.authenticate_access_token(bob_token)
    await kit.admin.enable(admin, bob.id, ctx=CTX)
    await kit.auth.login("bob@example.com", PASSWORD, ctx=CTX)


async def test_non_admins_cannot_administer(kit: AuthKit) -> None:
    await kit.auth.register("admin@example.com", PASSWORD, ctx=CTX)
    await kit.auth.register("bob@example.com", PASSWORD, ctx=CTX)
    bob, _ = await _principal(kit, "bob@example.com")
    with pytest.raises(PermissionDenied):
        await kit.admin.list_users(bob)
    with pytest.raises(PermissionDenied):
        await kit.admin.set_role(bob, bob.user_id, Role.ADMIN, ctx=CTX)
    with pytest.raises(PermissionDenied):
        await kit.audit.list(bob)


async def test_the_last_admin_cannot_be_demoted_disabled_or_deleted(kit: AuthKit) -> None:
    admin = await kit.auth.register("admin@example.com", PASSWORD, ctx=CTX)
    with pytest.raises(LastAdministrator):
        await kit.admin.set_role(None, admin.id, Role.USER, ctx=CTX)
    with pytest.raises(LastAdministrator):
        await kit.admin.disable(None, admin.id, ctx=CTX)
    with pytest.raises(LastAdministrator, match="last active administrator"):
        await kit.admin.delete(None, admin.id, ctx=CTX)
    assert (await kit.admin.get_user(None, admin.id)).is_admin


async def test_deleting_a_user_ends_their_sessions_and_frees_the_email(kit: AuthKit) -> None:
    await kit.auth.register("admin@example.com", PASSWORD, ctx=CTX)
    bob = await kit.auth.register("bob@example.com", PASSWORD, ctx=CTX)
    _, bob_token = await _principal(kit, "bob@example.com")
    await kit.admin.delete(None, bob.id, ctx=CTX)
    with pytest.raises(AuthenticationFailed):
        await kit.auth.authenticate_access_token(bob_token)
    with pytest.raises(NotFound):
        await kit.admin.get_user(None, bob.id)
    await kit.auth.register("bob@example.com", PASSWORD, ctx=CTX)


async def test_personal_api_tokens_are_scoped_expiring_and_revocable(kit: AuthKit) -> None:
    await kit.auth.register("ann@example.com", PASSWORD, ctx=CTX)
    me, _ = await _principal(kit, "ann@example.com")
    token, secret = await kit.tokens.create(
        me, name="reader", scopes=[Scope.READ], expires_in_days=1, ctx=CTX
    )
    assert secret.startswith("pat_")
    assert len(secret) >= 4 + 43  # 32 random bytes, base64url
    assert token.token_hash != secret
    assert token.hint == secret[:8]
    via_token = await kit.auth.authenticate_api_token(secret)
    via_token.require(Scope.READ)
    with pytest.raises(PermissionDenied):
        via_token.require(Scope.WRITE)
    with pytest.raises(PermissionDenied):
        via_token.require_admin()
    kit.clock.advance(timedelta(days=1, seconds=1))
    with pytest.raises(AuthenticationFailed):
        await kit.auth.authenticate_api_token(secret)
    _, second = await kit.tokens.create(me, name="writer", scopes=[Scope.WRITE], ctx=CTX)
    writer = await kit.auth.authenticate_api_token(second)
    assert writer.scopes == {Scope.READ, Scope.WRITE}
    await kit.tokens.revoke(me, writer.api_token_id, ctx=CTX)  # type: ignore[arg-type]
    with pytest.raises(AuthenticationFailed):
        await kit.auth.authenticate_api_token(second)


async def test_users_cannot_see_or_revoke_other_users_tokens(kit: AuthKit) -> None:
    await kit.auth.register("ann@example.com", PASSWORD, ctx=CTX)
    await kit.auth.register("bob@example.com", PASSWORD, ctx=CTX)
    ann, _ = await _principal(kit, "ann@example.com")
    bob, _ = await _principal(kit, "bob@example.com")
    token, _ = await kit.tokens.create(ann, name="mine", scopes=[Scope.READ], ctx=CTX)
    assert await kit.tokens.list(bob) == []
    with pytest.raises(NotFound):
        await kit.tokens.revoke(bob, token.id, ctx=CTX)
    with pytest.raises(NotFound):
        await kit.tokens.list(bob, user_id=UserId(ann.user_id))


async def test_changing_email_needs_the_password(kit: AuthKit) -> None:
    await kit.auth.register("ann@example.com", PASSWORD, ctx=CTX)
    me, _ = await _principal(kit, "ann@example.com")
    with pytest.raises(WrongPassword):
        await kit.accounts.update_me(me, email="ann@new.example", ctx=CTX)
    user = await kit.accounts.update_me(
        me,
        email="Ann@New.example",
        display_name="  Ann   Smith ",
        current_password=PASSWORD,
        ctx=CTX,
    )
    assert (user.email, user.display_name) == ("ann@new.example", "Ann Smith")
