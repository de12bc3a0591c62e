"""The second-factor policy (S7) without I/O: the time window, spent steps, recovery codes."""

import hashlib
import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from project.domain.model.ids import UserId
from project.domain.model.second_factor import (
    RECOVERY_CODE_COUNT,
    TOTP_STEP,
    TotpFactor,
    TotpRequirement,
    new_recovery_codes,
    recovery_code_hash,
    recovery_codes_for,
    time_step,
    totp_code,
)
from project.domain.model.users import Role, User, UserStatus

T0 = datetime(2026, 1, 1, 12, 0, 10, tzinfo=UTC)  # 10 s into a step
STEP = time_step(T0)


def _factor(last_used_step: int | None = None) -> TotpFactor:
    return TotpFactor(
        user_id=UserId(uuid.uuid4()),
        sealed_secret="v1.x.y",
        created_at=T0,
        confirmed_at=T0,
        last_used_step=last_used_step,
    )


def _user(role: Role = Role.USER, *, totp_required: bool = False) -> User:
    return User(
        id=UserId(uuid.uuid4()),
        email="ann@example.com",
        display_name="",
        role=role,
        status=UserStatus.ACTIVE,
        password_hash="x",
        created_at=T0,
        totp_required=totp_required,
    )


# --- time steps and the window ----------------------------------------------------------------


def test_a_step_is_thirty_seconds_counted_from_the_unix_epoch() -> None:
    assert timedelta(seconds=30) == TOTP_STEP
    assert time_step(datetime(1970, 1, 1, 0, 0, 59, tzinfo=UTC)) == 1  # RFC 6238's T=59
    assert time_step(datetime(2033, 5, 18, 3, 33, 20, tzinfo=UTC)) == 2_000_000_000 // 30
    assert time_step(T0 + timedelta(seconds=19)) == STEP
    assert time_step(T0 + timedelta(seconds=20)) == STEP + 1


def test_the_window_is_the_current_step_and_one_either_side() -> None:
    assert _factor().usable_steps(T0) == [STEP - 1, STEP, STEP + 1]


def test_a_spent_step_is_never_usable_again() -> None:
    """S7: each code works once; replaying the code of the same step is refused."""
    assert _factor(last_used_step=STEP).usable_steps(T0) == [STEP + 1]


def test_earlier_steps_die_once_a_later_one_was_used() -> None:
    """The code of the previous step, still in the skew window, is dead after a newer one."""
    assert _factor(last_used_step=STEP + 1).usable_steps(T0) == []
    assert _factor(last_used_step=STEP - 1).usable_steps(T0) == [STEP, STEP + 1]


@given(
    offset=st.integers(min_value=0, max_value=10**6),
    last=st.one_of(st.none(), st.integers(min_value=0, max_value=STEP + 10**5)),
)
def test_usable_steps_are_within_one_step_of_now_and_all_after_the_last_used(
    offset: int, last: int | None
) -> None:
    at = T0 + timedelta(seconds=offset)
    steps = _factor(last_used_step=last).usable_steps(at)
    assert all(abs(step - time_step(at)) <= 1 for step in steps)
    assert all(last is None or step > last for step in steps)
    assert steps == sorted(steps)


def test_confirming_turns_the_factor_on_and_spends_the_confirming_step() -> None:
    factor = TotpFactor(user_id=UserId(uuid.uuid4()), sealed_secret="s", created_at=T0)
    assert not factor.is_enabled
    factor.confirm(T0, STEP)
    assert factor.is_enabled
    assert STEP not in factor.usable_steps(T0)


@pytest.mark.parametrize(
    ("typed", "code"),
    [("123456", "123456"), (" 123 456 ", "123456"), ("000000", "000000")],
)
def test_a_totp_code_is_six_digits_spaces_aside(typed: str, code: str) -> None:
    assert totp_code(typed) == code


@pytest.mark.parametrize(
    "typed",
    ["12345", "1234567", "12345a", "", "\uff11\uff12\uff13\uff14\uff15\uff16", "abcd-efgh-jkmn"],
)
def test_anything_else_is_not_a_totp_code(typed: str) -> None:
    assert totp_code(typed) is None


# --- recovery codes -------------------------------------------------------------------------


def test_ten_recovery_codes_of_sixty_random_bits_each() -> None:
    codes = new_recovery_codes()
    assert len(codes) == RECOVERY_CODE_COUNT == len(set(codes))
    for code in codes:
        assert re.fullmatch(
            r"[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}", code
        )


def test_recovery_codes_are_stored_as_sha256_digests_only() -> None:
    user_id = UserId(uuid.uuid4())
    codes = new_recovery_codes()
    stored = recovery_codes_for(user_id, codes, T0)
    assert len(stored) == len(codes)
    for code, row in zip(codes, stored, strict=True):
        plain = code.replace("-", "")
        assert row.code_hash == hashlib.sha256(plain.encode()).hexdigest()
        assert plain not in repr(row)
        assert code not in repr(row)
        assert (row.user_id, row.used_at) == (user_id, None)


def test_a_recovery_code_is_recognised_however_it_is_typed() -> None:
    code = "7k2m-q9xd-4hp0"
    expected = recovery_code_hash(code)
    assert expected is not None
    for typed in ("7K2M-Q9XD-4HP0", "7k2mq9xd4hp0", " 7k2m q9xd 4hpo "):
        assert recovery_code_hash(typed) == expected


@pytest.mark.parametrize("typed", ["123456", "7k2m-q9xd-4hp", "7k2m-q9xd-4hp0x", "7k2m-q9xd-4hu0"])
def test_text_that_cannot_be_a_recovery_code_has_no_digest(typed: str) -> None:
    assert recovery_code_hash(typed) is None


# --- who must use a second factor -------------------------------------------------------------


@pytest.mark.parametrize(
    ("requirement", "role", "flagged", "covered"),
    [
        (TotpRequirement.NONE, Role.USER, False, False),
        (TotpRequirement.NONE, Role.ADMIN, False, False),
        (TotpRequirement.NONE, Role.USER, True, True),
        (TotpRequirement.ADMINS, Role.USER, False, False),
        (TotpRequirement.ADMINS, Role.ADMIN, False, True),
        (TotpRequirement.ADMINS, Role.USER, True, True),
        (TotpRequirement.ALL, Role.USER, False, True),
    ],
)
def test_the_requirement_covers_the_flagged_account_and_the_setting_s_roles(
    requirement: TotpRequirement, role: Role, flagged: bool, covered: bool
) -> None:
    assert requirement.covers(_user(role, totp_required=flagged)) is covered
