"""The second factor (S7) through the services, on the in-memory store and the real adapters."""

from datetime import timedelta
from pathlib import Path

import pyotp
import pytest

from project.domain.model.audit import AuditAction
from project.domain.model.errors import (
    AuthenticationFailed,
    PermissionDenied,
    RateLimited,
    SecondFactorEnrolmentRequired,
    SecondFactorFailed,
    SecondFactorRequired,
    SecondFactorState,
    WrongPassword,
    WrongSecondFactor,
)
from project.domain.model.principal import Principal
from project.domain.model.second_factor import TotpRequirement, recovery_code_hash
from project.domain.model.throttling import LoginThrottled
from project.domain.model.tokens import Scope
from project.domain.model.users import Role
from tests.unit._auth_kit import CTX, PASSWORD, AuthKit

ANN = "ann@example.com"
STEP = timedelta(seconds=30)


async def _signed_in(kit: AuthKit, email: str = ANN) -> Principal:
    pair = await kit.auth.login(email, PASSWORD, ctx=CTX)
    return await kit.auth.authenticate_access_token(pair.access_token)


async def _enrolled(kit: AuthKit, email: str = ANN) -> tuple[Principal, pyotp.TOTP, list[str]]:
    """A registered user with TOTP on; the clock is then moved a step past the confirming code."""
    await kit.auth.register(email, PASSWORD, ctx=CTX)
    principal = await _signed_in(kit, email)
    enrolment = await kit.second_factor.start(principal, ctx=CTX)
    app = pyotp.TOTP(enrolment.secret)
    codes = await kit.second_factor.confirm(principal, app.at(kit.clock.now()), ctx=CTX)
    kit.clock.advance(STEP)
    return principal, app, codes


def _code(kit: AuthKit, app: pyotp.TOTP, *, steps: int = 0) -> str:
    return app.at(kit.clock.now() + steps * STEP)


async def _actions(kit: AuthKit) -> list[AuditAction]:
    return [event.action for event in await kit.audit.list(None)]


# --- enrolment --------------------------------------------------------------------------------


async def test_enrolment_gives_a_secret_and_uri_then_a_code_turns_it_on(kit: AuthKit) -> None:
    await kit.auth.register(ANN, PASSWORD, ctx=CTX)
    principal = await _signed_in(kit)
    enrolment = await kit.second_factor.start(principal, ctx=CTX)
    assert enrolment.uri.startswith("otpauth://totp/bm.test:ann%40example.com?secret=")
    assert f"secret={enrolment.secret}" in enrolment.uri
    started = await kit.second_factor.status(principal)
    assert (started.enabled, started.enrolment_started) == (False, True)
    # Not active before confirmation: the password alone still signs in.
    await kit.auth.login(ANN, PASSWORD, ctx=CTX)

    code = pyotp.TOTP(enrolment.secret).at(kit.clock.now())
    codes = await kit.second_factor.confirm(principal, code, ctx=CTX)
    assert len(codes) == 10
    status = await kit.second_factor.status(principal)
    assert (status.enabled, status.enrolment_started, status.recovery_codes_left) == (
        True,
        False,
        10,
    )
    assert AuditAction.MFA_ENROL_STARTED in await _actions(kit)
    assert AuditAction.MFA_ENABLED in await _actions(kit)


async def test_the_secret_is_stored_sealed_and_recovery_codes_only_as_digests(kit: AuthKit) -> None:
    await kit.auth.register(ANN, PASSWORD, ctx=CTX)
    principal = await _signed_in(kit)
    enrolment = await kit.second_factor.start(principal, ctx=CTX)
    codes = await kit.second_factor.confirm(
        principal, pyotp.TOTP(enrolment.secret).at(kit.clock.now()), ctx=CTX
    )
    tables = kit.uow.database.committed
    sealed = tables.second_factors[principal.user_id].sealed_secret
    assert enrolment.secret not in sealed
    assert sealed.startswith("v1.")
    stored = {code.code_hash for code in tables.recovery_codes.values()}
    assert stored == {recovery_code_hash(code) for code in codes}
    assert not any(code in repr(tables.recovery_codes) for code in codes)


async def test_a_wrong_code_does_not_turn_it_on(kit: AuthKit) -> None:
    await kit.auth.register(ANN, PASSWORD, ctx=CTX)
    principal = await _signed_in(kit)
    enrolment = await kit.second_factor.start(principal, ctx=CTX)
    wrong = pyotp.TOTP(enrolment.secret).at(kit.clock.now() + 10 * STEP)
    with pytest.raises(WrongSecondFactor):
        await kit.second_factor.confirm(principal, wrong, ctx=CTX)
    assert not (await kit.second_factor.status(principal)).enabled
    assert AuditAction.MFA_FAIL in await _actions(kit)


async def test_confirm_without_start_and_start_when_on_are_conflicts(kit: AuthKit) -> None:
    await kit.auth.register(ANN, PASSWORD, ctx=CTX)
    principal = await _signed_in(kit)
    with pytest.raises(SecondFactorState):
        await kit.second_factor.confirm(principal, "123456", ctx=CTX)
    enrolment = await kit.second_factor.start(principal, ctx=CTX)
    app = pyotp.TOTP(enrolment.secret)
    await kit.second_factor.confirm(principal, app.at(kit.clock.now()), ctx=CTX)
    with pytest.raises(SecondFactorState):
        await kit.second_factor.start(principal, ctx=CTX)


async def test_personal_api_tokens_cannot_change_the_second_factor(kit: AuthKit) -> None:
    await kit.auth.register(ANN, PASSWORD, ctx=CTX)
    principal = await _signed_in(kit)
    _, secret = await kit.tokens.create(
        principal, name="script", scopes={Scope.READ, Scope.WRITE}, ctx=CTX
    )
    by_token = await kit.auth.authenticate_api_token(secret)
    with pytest.raises(PermissionDenied):
        await kit.second_factor.start(by_token, ctx=CTX)


# --- login ------------------------------------------------------------------------------------


async def test_s7_login_needs_a_code_once_it_is_on(kit: AuthKit) -> None:
    _, app, _ = await _enrolled(kit)
    with pytest.raises(SecondFactorRequired):
        await kit.auth.login(ANN, PASSWORD, ctx=CTX)
    pair = await kit.auth.login(ANN, PASSWORD, second_factor=_code(kit, app), ctx=CTX)
    await kit.auth.authenticate_access_token(pair.access_token)


async def test_s7_a_replayed_code_is_rejected(kit: AuthKit) -> None:
    _, app, _ = await _enrolled(kit)
    code = _code(kit, app)
    await kit.auth.login(ANN, PASSWORD, second_factor=code, ctx=CTX)
    with pytest.raises(SecondFactorFailed):
        await kit.auth.login(ANN, PASSWORD, second_factor=code, ctx=CTX)
    kit.clock.advance(timedelta(seconds=10))  # same step, still within the window
    with pytest.raises(SecondFactorFailed):
        await kit.auth.login(ANN, PASSWORD, second_factor=code, ctx=CTX)


async def test_s7_an_earlier_code_is_dead_once_a_later_one_was_used(kit: AuthKit) -> None:
    _, app, _ = await _enrolled(kit)
    previous, current, following = (_code(kit, app, steps=n) for n in (-1, 0, 1))
    await kit.auth.login(ANN, PASSWORD, second_factor=following, ctx=CTX)  # a fast phone clock
    for code in (previous, current):
        with pytest.raises(SecondFactorFailed):
            await kit.auth.login(ANN, PASSWORD, second_factor=code, ctx=CTX)


async def test_codes_one_step_either_side_pass_and_two_steps_off_fail(kit: AuthKit) -> None:
    _, app, _ = await _enrolled(kit)
    kit.clock.advance(STEP)  # so the step before now is not the one spent confirming
    with pytest.raises(SecondFactorFailed):
        await kit.auth.login(ANN, PASSWORD, second_factor=_code(kit, app, steps=2), ctx=CTX)
    with pytest.raises(SecondFactorFailed):
        await kit.auth.login(ANN, PASSWORD, second_factor=_code(kit, app, steps=-2), ctx=CTX)
    await kit.auth.login(ANN, PASSWORD, second_factor=_code(kit, app, steps=-1), ctx=CTX)
    kit.clock.advance(STEP)
    await kit.auth.login(ANN, PASSWORD, second_factor=_code(kit, app, steps=1), ctx=CTX)


async def test_the_password_is_checked_before_the_code(kit: AuthKit) -> None:
    _, app, _ = await _enrolled(kit)
    code = _code(kit, app)
    with pytest.raises(AuthenticationFailed) as refused:
        await kit.auth.login(ANN, "not the passphrase at all", second_factor=code, ctx=CTX)
    assert type(refused.value) is AuthenticationFailed
    await kit.auth.login(ANN, PASSWORD, second_factor=code, ctx=CTX)  # the code was not spent


async def test_a_recovery_code_signs_in_once(kit: AuthKit) -> None:
    _, _, codes = await _enrolled(kit)
    await kit.auth.login(ANN, PASSWORD, second_factor=codes[0].upper(), ctx=CTX)
    with pytest.raises(SecondFactorFailed):
        await kit.auth.login(ANN, PASSWORD, second_factor=codes[0], ctx=CTX)
    await kit.auth.login(ANN, PASSWORD, second_factor=codes[1], ctx=CTX)
    principal = await _signed_in_with(kit, codes[2])
    assert (await kit.second_factor.status(principal)).recovery_codes_left == 7
    assert AuditAction.MFA_RECOVERY_CODE_USED in await _actions(kit)


async def _signed_in_with(kit: AuthKit, code: str) -> Principal:
    pair = await kit.auth.login(ANN, PASSWORD, second_factor=code, ctx=CTX)
    return await kit.auth.authenticate_access_token(pair.access_token)


async def test_s30_wrong_codes_count_as_failed_logins(kit: AuthKit) -> None:
    _, app, _ = await _enrolled(kit)
    wrong = _code(kit, app, steps=5)
    for _ in range(5):
        with pytest.raises(SecondFactorFailed):
            await kit.auth.login(ANN, PASSWORD, second_factor=wrong, ctx=CTX)
    with pytest.raises(LoginThrottled):
        await kit.auth.login(ANN, PASSWORD, second_factor=_code(kit, app), ctx=CTX)
    kit.clock.advance(timedelta(seconds=2))
    await kit.auth.login(ANN, PASSWORD, second_factor=_code(kit, app), ctx=CTX)


# --- turning it off, new recovery codes -------------------------------------------------------


async def test_disable_needs_the_password_and_a_code(kit: AuthKit) -> None:
    principal, app, codes = await _enrolled(kit)
    with pytest.raises(WrongPassword):
        await kit.second_factor.disable(principal, "not the passphrase", _code(kit, app), ctx=CTX)
    with pytest.raises(WrongSecondFactor):
        await kit.second_factor.disable(principal, PASSWORD, _code(kit, app, steps=9), ctx=CTX)
    await kit.second_factor.disable(principal, PASSWORD, codes[0], ctx=CTX)
    status = await kit.second_factor.status(principal)
    assert (status.enabled, status.recovery_codes_left) == (False, 0)
    await kit.auth.login(ANN, PASSWORD, ctx=CTX)
    assert AuditAction.MFA_DISABLED in await _actions(kit)
    with pytest.raises(SecondFactorState):
        await kit.second_factor.disable(principal, PASSWORD, codes[1], ctx=CTX)


async def test_new_recovery_codes_void_the_old_ones(kit: AuthKit) -> None:
    principal, app, old = await _enrolled(kit)
    with pytest.raises(WrongSecondFactor):
        await kit.second_factor.regenerate_recovery_codes(principal, "123-456", ctx=CTX)
    new = await kit.second_factor.regenerate_recovery_codes(principal, _code(kit, app), ctx=CTX)
    assert len(new) == 10
    assert not set(new) & set(old)
    with pytest.raises(SecondFactorFailed):
        await kit.auth.login(ANN, PASSWORD, second_factor=old[1], ctx=CTX)
    await kit.auth.login(ANN, PASSWORD, second_factor=new[0], ctx=CTX)


async def test_too_many_wrong_codes_to_change_the_factor_are_refused_for_a_while(
    kit: AuthKit,
) -> None:
    principal, app, _ = await _enrolled(kit)
    for _ in range(10):
        with pytest.raises(WrongSecondFactor):
            await kit.second_factor.regenerate_recovery_codes(principal, "000000", ctx=CTX)
    with pytest.raises(RateLimited):
        await kit.second_factor.regenerate_recovery_codes(principal, _code(kit, app), ctx=CTX)


# --- what admins decide -----------------------------------------------------------------------


async def test_a_required_user_without_a_factor_may_only_enrol(kit: AuthKit) -> None:
    admin = await kit.auth.register("admin@example.com", PASSWORD, ctx=CTX)
    user = await kit.auth.register(ANN, PASSWORD, ctx=CTX)
    assert admin.role is Role.ADMIN
    flagged = await kit.admin.require_second_factor(None, user.id, True, ctx=CTX)
    assert flagged.totp_required
    principal = await _signed_in(kit)  # the password alone still signs in
    assert principal.must_enrol_second_factor
    with pytest.raises(SecondFactorEnrolmentRequired):
        principal.require_second_factor_enrolled()
    assert (await kit.second_factor.status(principal)).required

    enrolment = await kit.second_factor.start(principal, ctx=CTX)
    app = pyotp.TOTP(enrolment.secret)
    await kit.second_factor.confirm(principal, app.at(kit.clock.now()), ctx=CTX)
    kit.clock.advance(STEP)
    again = await _signed_in_with(kit, app.at(kit.clock.now()))
    assert not again.must_enrol_second_factor
    assert AuditAction.MFA_REQUIREMENT_CHANGED in await _actions(kit)


async def test_the_instance_setting_can_require_it_of_admins(tmp_path: Path) -> None:
    kit = AuthKit(outbox=tmp_path, totp_requirement=TotpRequirement.ADMINS)
    await kit.auth.register("admin@example.com", PASSWORD, ctx=CTX)
    await kit.auth.register(ANN, PASSWORD, ctx=CTX)
    assert (await _signed_in(kit, "admin@example.com")).must_enrol_second_factor
    assert not (await _signed_in(kit, ANN)).must_enrol_second_factor


async def test_an_admin_reset_turns_the_factor_off(kit: AuthKit) -> None:
    principal, _, _ = await _enrolled(kit)
    await kit.admin.reset_second_factor(None, principal.user_id, ctx=CTX)
    await kit.auth.login(ANN, PASSWORD, ctx=CTX)
    assert (await kit.second_factor.status(principal)).recovery_codes_left == 0
    assert AuditAction.MFA_RESET in await _actions(kit)
