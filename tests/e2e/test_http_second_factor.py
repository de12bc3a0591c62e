"""The TOTP second factor over HTTP (S7), on SQLite and PostgreSQL.

The app runs on a clock the test moves, so a test steps from one 30-second code to the next
without sleeping; codes are computed as an authenticator app would, from the secret that
`POST /api/v1/me/totp/start` hands out.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
import pyotp
import pytest
from dependency_injector import providers
from litestar import Litestar
from litestar.testing import AsyncTestClient

from project.adapters.argon2 import TEST_PARAMETERS, Argon2PasswordHasher
from project.domain.model.second_factor import TotpRequirement
from project.entrypoints.container import Container
from project.entrypoints.http import create_app
from project.entrypoints.library import Project
from project.entrypoints.settings import Settings
from tests.e2e._http_kit import (
    AUTH,
    PASSWORD,
    Client,
    Login,
    assert_problem,
    bearer,
    login,
    signup,
)
from tests.unit.fakes import FakeClock

TOTP = "/api/v1/me/totp"
STEP = timedelta(seconds=30)


def _make_app(settings: Settings, clock: FakeClock) -> Litestar:
    container = Container(settings=settings)
    container.hasher.override(providers.Singleton(Argon2PasswordHasher, TEST_PARAMETERS))
    container.clock.override(providers.Object(clock))
    return create_app(settings, project=Project.from_container(container))


@pytest.fixture
def clock() -> FakeClock:
    now = datetime.now(UTC)
    return FakeClock(now.replace(second=0, microsecond=0))  # the start of a 30-second step


@pytest.fixture
async def client(app_settings: Settings, clock: FakeClock) -> AsyncIterator[Client]:
    async with AsyncTestClient(app=_make_app(app_settings, clock)) as test_client:
        yield test_client


async def _login(client: Client, address: str, code: str | None = None) -> Any:
    body: dict[str, str] = {"email": address, "password": PASSWORD}
    if code is not None:
        body["second_factor"] = code
    return await client.post(f"{AUTH}/login", json=body)


async def _enrol(client: Client, who: Login, clock: FakeClock) -> tuple[pyotp.TOTP, list[str]]:
    """Turn TOTP on for `who`; returns their app and recovery codes, a step past the confirm."""
    started = await client.post(f"{TOTP}/start", headers=who.headers)
    assert started.status_code == 201, started.text
    body = started.json()
    assert body["otpauth_uri"].startswith("otpauth://totp/")
    assert f"secret={body['secret']}" in body["otpauth_uri"]
    app = pyotp.TOTP(body["secret"])
    confirmed = await client.post(
        f"{TOTP}/confirm", json={"code": app.at(clock.now())}, headers=who.headers
    )
    assert confirmed.status_code == 200, confirmed.text
    codes: list[str] = confirmed.json()["recovery_codes"]
    assert len(codes) == 10
    clock.advance(STEP)
    return app, codes


async def test_s7_a_replayed_code_is_rejected(client: Client, clock: FakeClock) -> None:
    """Enrol; a login without a code is 401 (second factor required), with the code 200, and
    the same code replayed on a second login 401 (second factor failed)."""
    ann = await signup(client, "ann@example.com")
    app, _ = await _enrol(client, ann, clock)

    missing = await _login(client, ann.email)
    assert_problem(missing, 401, "second_factor_required")
    assert missing.json()["type"] == "urn:project:problem:second_factor_required"

    code = app.at(clock.now())
    first = await _login(client, ann.email, code)
    assert first.status_code == 200, first.text
    me = await client.get("/api/v1/me", headers=bearer(first.json()["access_token"]))
    assert me.status_code == 200

    replayed = await _login(client, ann.email, code)
    assert_problem(replayed, 401, "second_factor_failed")
    assert replayed.json()["type"] == "urn:project:problem:second_factor_failed"

    clock.advance(STEP)
    assert (await _login(client, ann.email, app.at(clock.now()))).status_code == 200


async def test_s7_a_wrong_password_with_a_right_code_is_the_plain_login_failure(
    client: Client, clock: FakeClock
) -> None:
    ann = await signup(client, "ann@example.com")
    app, _ = await _enrol(client, ann, clock)
    response = await client.post(
        f"{AUTH}/login",
        json={"email": ann.email, "password": "wrong " + PASSWORD, "second_factor": "123456"},
    )
    assert_problem(response, 401, "authentication_failed")
    wrong_code = await _login(client, ann.email, app.at(clock.now() + 10 * STEP))
    assert_problem(wrong_code, 401, "second_factor_failed")


async def test_s7_a_recovery_code_signs_in_once(client: Client, clock: FakeClock) -> None:
    ann = await signup(client, "ann@example.com")
    _, codes = await _enrol(client, ann, clock)
    assert (await _login(client, ann.email, codes[3])).status_code == 200
    assert_problem(await _login(client, ann.email, codes[3]), 401, "second_factor_failed")
    status = await client.get(TOTP, headers=ann.headers)
    assert status.json() == {
        "enabled": True,
        "enrolment_started": False,
        "required": False,
        "recovery_codes_left": 9,
    }


async def test_s7_new_recovery_codes_need_a_code_and_void_the_old_ones(
    client: Client, clock: FakeClock
) -> None:
    ann = await signup(client, "ann@example.com")
    app, old = await _enrol(client, ann, clock)
    refused = await client.post(
        f"{TOTP}/recovery-codes", json={"code": "000000"}, headers=ann.headers
    )
    assert_problem(refused, 403, "wrong_second_factor")
    made = await client.post(
        f"{TOTP}/recovery-codes", json={"code": app.at(clock.now())}, headers=ann.headers
    )
    assert made.status_code == 200, made.text
    new = made.json()["recovery_codes"]
    assert_problem(await _login(client, ann.email, old[0]), 401, "second_factor_failed")
    assert (await _login(client, ann.email, new[0])).status_code == 200


async def test_s7_disable_needs_the_password_and_a_code(client: Client, clock: FakeClock) -> None:
    ann = await signup(client, "ann@example.com")
    app, codes = await _enrol(client, ann, clock)
    code = app.at(clock.now())

    async def disable(password: str, code: str) -> Any:
        body = {"password": password, "code": code}
        return await client.post(f"{TOTP}/disable", json=body, headers=ann.headers)

    assert_problem(await disable("wrong " + PASSWORD, code), 403, "wrong_password")
    assert_problem(await disable(PASSWORD, "999999"), 403, "wrong_second_factor")
    missing = await client.post(f"{TOTP}/disable", json={"password": PASSWORD}, headers=ann.headers)
    assert_problem(missing, 400)
    assert (await disable(PASSWORD, code)).status_code == 204
    assert (await _login(client, ann.email)).status_code == 200
    assert_problem(await disable(PASSWORD, codes[0]), 409, "second_factor_state")


async def test_s7_enrolment_is_not_active_before_confirmation(
    client: Client, clock: FakeClock
) -> None:
    ann = await signup(client, "ann@example.com")
    started = await client.post(f"{TOTP}/start", headers=ann.headers)
    assert started.status_code == 201
    assert (await _login(client, ann.email)).status_code == 200
    wrong = await client.post(f"{TOTP}/confirm", json={"code": "12345x"}, headers=ann.headers)
    assert_problem(wrong, 403, "wrong_second_factor")
    status = (await client.get(TOTP, headers=ann.headers)).json()
    assert (status["enabled"], status["enrolment_started"]) == (False, True)
    unknown = await client.post(
        f"{TOTP}/start", json={"secret": "MINE"}, headers=ann.headers
    )  # no body is read: nothing the client sends chooses the secret
    assert unknown.status_code == 201
    assert unknown.json()["secret"] != "MINE"


async def test_s7_an_admin_required_user_is_limited_to_enrolment_until_enrolled(
    client: Client, clock: FakeClock
) -> None:
    admin = await signup(client, "admin@example.com")  # the first account is the admin
    bob = await signup(client, "bob@example.com")
    required = await client.patch(
        f"/api/v1/admin/users/{bob.user_id}", json={"totp_required": True}, headers=admin.headers
    )
    assert required.status_code == 200, required.text
    assert required.json()["totp_required"] is True

    # The password alone still signs in; the token then reaches only enrolment, /me and logout.
    bob = await login(client, bob.email)
    assert_problem(
        await client.get("/api/v1/bookmarks", headers=bob.headers),
        403,
        "second_factor_enrolment_required",
    )
    created = await client.post(
        "/api/v1/bookmarks", json={"url": "https://example.org/"}, headers=bob.headers
    )
    assert_problem(created, 403, "second_factor_enrolment_required")
    assert (await client.get("/api/v1/me", headers=bob.headers)).status_code == 200
    assert (await client.get(TOTP, headers=bob.headers)).json()["required"] is True

    await _enrol(client, bob, clock)
    listing = await client.get("/api/v1/bookmarks", headers=bob.headers)  # the same token
    assert listing.status_code == 200, listing.text
    assert_problem(await _login(client, bob.email), 401, "second_factor_required")


async def test_s7_a_required_user_may_sign_out_before_enrolling(client: Client) -> None:
    admin = await signup(client, "admin@example.com")
    bob = await signup(client, "bob@example.com")
    await client.patch(
        f"/api/v1/admin/users/{bob.user_id}", json={"totp_required": True}, headers=admin.headers
    )
    assert (await client.post(f"{AUTH}/logout", headers=bob.headers)).status_code == 204
    assert_problem(await client.get("/api/v1/me", headers=bob.headers), 401)
    # Lifting the requirement opens everything again.
    lifted = await client.patch(
        f"/api/v1/admin/users/{bob.user_id}", json={"totp_required": False}, headers=admin.headers
    )
    assert lifted.json()["totp_required"] is False
    bob = await login(client, bob.email)
    assert (await client.get("/api/v1/bookmarks", headers=bob.headers)).status_code == 200


@pytest.mark.parametrize(
    ("requirement", "limited"),
    [(TotpRequirement.ADMINS, {"admin"}), (TotpRequirement.ALL, {"admin", "bob"})],
)
async def test_s7_the_instance_setting_requires_it_of_admins_or_everyone(
    app_settings: Settings,
    clock: FakeClock,
    requirement: TotpRequirement,
    limited: set[str],
) -> None:
    settings = msgspec.structs.replace(app_settings, require_totp=requirement)
    async with AsyncTestClient(app=_make_app(settings, clock)) as client:
        accounts = {
            "admin": await signup(client, "admin@example.com"),
            "bob": await signup(client, "bob@example.com"),
        }
        for name, who in accounts.items():
            listing = await client.get("/api/v1/bookmarks", headers=who.headers)
            if name in limited:
                assert_problem(listing, 403, "second_factor_enrolment_required")
            else:
                assert listing.status_code == 200
        admin = accounts["admin"]
        await _enrol(client, admin, clock)
        assert (await client.get("/api/v1/bookmarks", headers=admin.headers)).status_code == 200


async def test_s7_the_login_schema_bounds_the_code(client: Client) -> None:
    await signup(client, "ann@example.com")
    for bad in ("12345", "x" * 33, 123456):
        response = await client.post(
            f"{AUTH}/login",
            json={"email": "ann@example.com", "password": PASSWORD, "second_factor": bad},
        )
        assert_problem(response, 400, "validation_error")


async def test_s7_users_cannot_lift_their_own_requirement_and_tokens_are_limited_too(
    client: Client,
) -> None:
    admin = await signup(client, "admin@example.com")
    bob = await signup(client, "bob@example.com")
    made = await client.post(
        "/api/v1/tokens", json={"name": "script", "scopes": ["read", "write"]}, headers=bob.headers
    )
    assert made.status_code == 201, made.text
    token = bearer(made.json()["secret"])
    own = await client.patch("/api/v1/me", json={"totp_required": True}, headers=bob.headers)
    assert_problem(own, 400)  # server-owned (S15): only an admin sets it
    await client.patch(
        f"/api/v1/admin/users/{bob.user_id}", json={"totp_required": True}, headers=admin.headers
    )
    lifted = await client.patch("/api/v1/me", json={"totp_required": False}, headers=bob.headers)
    assert_problem(lifted, 403, "second_factor_enrolment_required")
    listing = await client.get("/api/v1/bookmarks", headers=token)
    assert_problem(listing, 403, "second_factor_enrolment_required")
    # Personal API tokens cannot enrol (only a signed-in session changes the second factor).
    assert_problem(await client.post(f"{TOTP}/start", headers=token), 403, "permission_denied")
