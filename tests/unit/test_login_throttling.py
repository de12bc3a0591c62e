"""Login throttling (S30): the backoff formula, and the service refusing before argon2."""

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from project.domain.model.context import Context
from project.domain.model.errors import AuthenticationFailed, RateLimited
from project.domain.model.throttling import (
    AccountKeys,
    LoginThrottle,
    LoginThrottled,
    ThrottleScope,
    client_bucket,
)
from tests.unit._auth_kit import CTX, PASSWORD, AuthKit

WRONG = "not the right passphrase"
POLICY = LoginThrottle()


# --- the policy -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("failures", "seconds"),
    [(0, 0), (4, 0), (5, 1), (6, 2), (7, 4), (14, 512), (15, 900), (16, 900), (10**6, 900)],
)
def test_the_lock_starts_at_one_second_after_five_failures_doubles_and_stops_at_15_min(
    failures: int, seconds: int
) -> None:
    assert POLICY.lockout_after(failures) == timedelta(seconds=seconds)


@given(st.integers(min_value=0, max_value=10**9))
def test_the_lock_never_shrinks_with_more_failures_and_never_passes_the_cap(failures: int) -> None:
    now, then = POLICY.lockout_after(failures), POLICY.lockout_after(failures + 1)
    assert timedelta(0) <= now <= then <= POLICY.max_lockout


def test_the_formula_follows_the_configured_thresholds() -> None:
    policy = LoginThrottle(
        free_failures=2, first_lockout=timedelta(seconds=3), max_lockout=timedelta(seconds=10)
    )
    assert [policy.lockout_after(n).total_seconds() for n in range(1, 6)] == [0, 3, 6, 10, 10]


@pytest.mark.parametrize(
    "bad",
    [
        {"free_failures": 0},
        {"ip_attempts": 0},
        {"ip_window": timedelta(0)},
        {"max_lockout": timedelta(milliseconds=500)},
    ],
)
def test_a_policy_that_could_not_work_is_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=r"lockout|positive"):
        LoginThrottle(**bad)  # type: ignore[arg-type]


def test_account_keys_follow_the_normalized_address_and_do_not_show_it() -> None:
    keys = AccountKeys.of(" Ann@Example.COM ")
    assert keys == AccountKeys.of("ann@example.com")
    assert keys != AccountKeys.of("bob@example.com")
    assert not any("ann" in key for key in keys.all)
    assert AccountKeys.of("not an address") == AccountKeys.of("NOT AN ADDRESS ")


@pytest.mark.parametrize(
    ("ip", "bucket"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("testclient", "testclient"),
        ("", ""),
    ],
)
def test_one_ipv6_subscriber_network_counts_as_one_client(ip: str, bucket: str) -> None:
    assert client_bucket(ip) == bucket


# --- the service ----------------------------------------------------------------------------


async def _fail(kit: AuthKit, email: str, times: int, ctx: Context = CTX) -> None:
    for _ in range(times):
        with pytest.raises(AuthenticationFailed):
            await kit.auth.login(email, WRONG, ctx=ctx)


async def _refusal(kit: AuthKit, email: str, password: str = PASSWORD) -> LoginThrottled:
    with pytest.raises(LoginThrottled) as refused:
        await kit.auth.login(email, password, ctx=CTX)
    return refused.value


async def test_five_failures_lock_the_account_before_its_password_is_checked(
    kit: AuthKit,
) -> None:
    await kit.auth.register("ann@example.com", PASSWORD, ctx=CTX)
    await _fail(kit, "ann@example.com", 5)
    checked = kit.hasher.verifications

    refused = await _refusal(kit, "ann@example.com")  # the right password, too early

    assert isinstance(refused, RateLimited)
    assert (refused.scope, refused.retry_after_seconds) == (ThrottleScope.ACCOUNT, 1)
    assert kit.hasher.verifications == checked  # no argon2 work for a throttled attempt


async def test_after_the_lock_the_right_password_works_and_starts_the_count_again(
    kit: AuthKit,
) -> None:
    await kit.auth.register("ann@example.com", PASSWORD, ctx=CTX)
    await _fail(kit, "ann@example.com", 5)
    await _refusal(kit, "ann@example.com")

    kit.clock.advance(timedelta(seconds=1))
    await kit.auth.login("ann@example.com", PASSWORD, ctx=CTX)

    await _fail(kit, "ann@example.com", 4)  # a fresh run: four more are free again
    await kit.auth.login("ann@example.com", PASSWORD, ctx=CTX)


async def test_each_further_failure_doubles_the_lock(kit: AuthKit) -> None:
    await kit.auth.register("ann@example.com", PASSWORD, ctx=CTX)
    await _fail(kit, "ann@example.com", 5)
    kit.clock.advance(timedelta(seconds=1))
    await _fail(kit, "ann@example.com", 1)  # the sixth failure: 2 s

    assert (await _refusal(kit, "ann@example.com")).retry_after_seconds == 2


async def test_hammering_a_locked_account_lengthens_its_lock_up_to_the_cap_only(
    kit: AuthKit,
) -> None:
    await kit.auth.register("ann@example.com", PASSWORD, ctx=CTX)
    await _fail(kit, "ann@example.com", 5)
    for _ in range(30):
        await _refusal(kit, "ann@example.com", WRONG)
    kit.clock.advance(timedelta(seconds=1))
    await _fail(kit, "ann@example.com", 1)

    assert (await _refusal(kit, "ann@example.com")).retry_after_seconds == 900
    kit.clock.advance(timedelta(minutes=15))
    await kit.auth.login("ann@example.com", PASSWORD, ctx=CTX)  # no permanent lockout


async def test_concurrent_attempts_on_a_locked_account_get_one_password_check(
    kit: AuthKit,
) -> None:
    await kit.auth.register("ann@example.com", PASSWORD, ctx=CTX)
    await _fail(kit, "ann@example.com", 5)
    kit.clock.advance(timedelta(seconds=1))
    checked = kit.hasher.verifications

    attempts = [kit.auth.login("ann@example.com", WRONG, ctx=CTX) for _ in range(10)]
    results = await asyncio.gather(*attempts, return_exceptions=True)

    assert sum(isinstance(result, LoginThrottled) for result in results) == 9
    assert sum(isinstance(result, AuthenticationFailed) for result in results) == 1
    assert kit.hasher.verifications == checked + 1


async def test_an_unknown_email_is_throttled_exactly_like_a_known_one(kit: AuthKit) -> None:
    await kit.auth.register("ann@example.com", PASSWORD, ctx=CTX)
    await _fail(kit, "ann@example.com", 5)
    await _fail(kit, "nobody@example.com", 5)

    known = await _refusal(kit, "ann@example.com")
    unknown = await _refusal(kit, "nobody@example.com")

    assert (known.scope, known.detail, known.retry_after_seconds) == (
        unknown.scope,
        unknown.detail,
        unknown.retry_after_seconds,
    )


async def test_the_account_is_locked_whatever_address_the_attempts_come_from(
    kit: AuthKit,
) -> None:
    await kit.auth.register("ann@example.com", PASSWORD, ctx=CTX)
    for n in range(5):
        await _fail(kit, "ANN@example.com ", 1, Context(ip=f"198.51.100.{n}"))

    assert (await _refusal(kit, "ann@example.com")).scope is ThrottleScope.ACCOUNT


async def test_the_hourly_cap_holds_even_when_the_backoff_allows(tmp_path: Path) -> None:
    kit = AuthKit(
        outbox=tmp_path,
        throttle=LoginThrottle(free_failures=100, account_failures_per_hour=3),
    )
    await kit.auth.register("ann@example.com", PASSWORD, ctx=CTX)
    await _fail(kit, "ann@example.com", 3)

    refused = await _refusal(kit, "ann@example.com")

    assert refused.scope is ThrottleScope.ACCOUNT
    assert 3590 <= refused.retry_after_seconds <= 3600


async def test_one_address_gets_a_limited_number_of_attempts_across_accounts(
    tmp_path: Path,
) -> None:
    kit = AuthKit(outbox=tmp_path, throttle=LoginThrottle(ip_attempts=3))
    await kit.auth.register("ann@example.com", PASSWORD, ctx=CTX)
    for n in range(3):
        await _fail(kit, f"user{n}@example.com", 1)

    refused = await _refusal(kit, "ann@example.com")
    elsewhere = await kit.auth.login("ann@example.com", PASSWORD, ctx=Context(ip="192.0.2.9"))

    assert (refused.scope, refused.retry_after_seconds) == (ThrottleScope.ADDRESS, 15 * 60)
    assert elsewhere.access_token


async def test_a_refused_address_leaves_the_account_counts_alone(tmp_path: Path) -> None:
    kit = AuthKit(outbox=tmp_path, throttle=LoginThrottle(ip_attempts=1))
    await kit.auth.register("ann@example.com", PASSWORD, ctx=CTX)
    await _fail(kit, "ann@example.com", 1)
    for _ in range(10):
        await _refusal(kit, "ann@example.com")

    for n in range(3):  # ten refusals did not add to ann's run of failures
        await _fail(kit, "ann@example.com", 1, Context(ip=f"192.0.2.{n}"))
    await kit.auth.login("ann@example.com", PASSWORD, ctx=Context(ip="192.0.2.200"))
