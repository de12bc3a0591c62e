"""Session checks through the read cache (S5, B5): a warm check reads nothing from the store,
and every change to what it found is in force on the next call.

The denylist here forgets every denial, so what is proved is the cache's own invalidation
(the account version), not the denylist that stands in front of it in the app.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

import pytest

from project.domain.model.errors import AuthenticationFailed
from project.domain.model.ids import SessionId
from project.domain.model.principal import Principal
from project.domain.model.tokens import TokenPair
from project.domain.model.users import Role
from project.domain.services._deps import AuthDeps
from project.domain.services.administration import AdministrationService
from project.domain.services.authentication import AuthenticationService
from project.domain.services.passwords import PasswordService
from project.domain.services.sessions import SessionService
from project.ports.repositories import UnitOfWork, UnitOfWorkFactory
from tests.unit._auth_kit import CTX, PASSWORD, AuthKit

NEW_PASSWORD = "another quite long passphrase 7"


class ForgetfulDenylist:
    """A denylist that lost every denial (Redis flushed): only the database is left."""

    async def deny(self, session_id: SessionId, ttl: timedelta) -> None:
        return None

    async def is_denied(self, session_id: SessionId) -> bool:
        return False


class CountingUow:
    def __init__(self, inner: UnitOfWorkFactory) -> None:
        self._inner = inner
        self.opened = 0

    def __call__(self) -> UnitOfWork:
        self.opened += 1
        return self._inner()


@dataclasses.dataclass
class Services:
    uow: CountingUow
    auth: AuthenticationService
    admin: AdministrationService
    sessions: SessionService
    passwords: PasswordService


@pytest.fixture
def kit(tmp_path: Path) -> AuthKit:
    return AuthKit(outbox=tmp_path / "outbox", read_cache=True)


@pytest.fixture
def services(kit: AuthKit) -> Services:
    uow = CountingUow(kit.uow)
    deps: AuthDeps = dataclasses.replace(kit.deps, uow=uow, denylist=ForgetfulDenylist())
    return Services(
        uow=uow,
        auth=AuthenticationService(deps),
        admin=AdministrationService(deps),
        sessions=SessionService(deps),
        passwords=PasswordService(deps),
    )


async def _signed_in(s: Services, email: str) -> tuple[TokenPair, Principal]:
    await s.auth.register(email, PASSWORD, ctx=CTX)
    pair = await s.auth.login(email, PASSWORD, ctx=CTX)
    return pair, await s.auth.authenticate_access_token(pair.access_token)


async def test_a_warm_session_check_reads_nothing_from_the_store(services: Services) -> None:
    pair, first = await _signed_in(services, "ann@example.com")
    before = services.uow.opened

    again = await services.auth.authenticate_access_token(pair.access_token)

    assert again == first
    assert services.uow.opened == before


Change = Callable[[Services, Principal], Awaitable[object]]


async def _change_password_elsewhere(s: Services, ann: Principal) -> None:
    other = await s.auth.login("ann@example.com", PASSWORD, ctx=CTX)
    from_other = await s.auth.authenticate_access_token(other.access_token)
    await s.passwords.change(from_other, PASSWORD, NEW_PASSWORD, ctx=CTX)


ENDING: dict[str, Change] = {
    "disable": lambda s, ann: s.admin.disable(None, ann.user_id, ctx=CTX),
    "delete": lambda s, ann: s.admin.delete(None, ann.user_id, ctx=CTX),
    "admin password reset": lambda s, ann: s.admin.reset_password(
        None, ann.user_id, NEW_PASSWORD, ctx=CTX
    ),
    "logout": lambda s, ann: s.sessions.logout(ann, ctx=CTX),
    "logout everywhere": lambda s, ann: s.sessions.logout_all(ann, ctx=CTX),
    "password change in another session": _change_password_elsewhere,
}


@pytest.mark.parametrize("change", ENDING.values(), ids=ENDING.keys())
async def test_b5_a_change_that_ends_the_session_is_in_force_at_once_with_the_check_cached(
    services: Services, change: Change
) -> None:
    await _signed_in(services, "admin@example.com")  # the first account is the admin
    pair, ann = await _signed_in(services, "ann@example.com")
    await services.auth.authenticate_access_token(pair.access_token)  # warm

    await change(services, ann)

    with pytest.raises(AuthenticationFailed):
        await services.auth.authenticate_access_token(pair.access_token)


async def test_a_role_change_is_in_force_at_once_with_the_check_cached(services: Services) -> None:
    await _signed_in(services, "admin@example.com")
    pair, ann = await _signed_in(services, "ann@example.com")
    assert ann.role is Role.USER

    await services.admin.set_role(None, ann.user_id, Role.ADMIN, ctx=CTX)
    promoted = await services.auth.authenticate_access_token(pair.access_token)
    await services.admin.set_role(None, ann.user_id, Role.USER, ctx=CTX)
    demoted = await services.auth.authenticate_access_token(pair.access_token)

    assert (promoted.role, demoted.role) == (Role.ADMIN, Role.USER)


async def test_a_second_factor_requirement_is_in_force_at_once_with_the_check_cached_S7(
    services: Services,
) -> None:
    await _signed_in(services, "admin@example.com")
    pair, ann = await _signed_in(services, "ann@example.com")
    assert not ann.must_enrol_second_factor

    await services.admin.require_second_factor(None, ann.user_id, True, ctx=CTX)

    again = await services.auth.authenticate_access_token(pair.access_token)
    assert again.must_enrol_second_factor


async def test_a_cached_check_never_outlives_the_session_S4(
    kit: AuthKit, services: Services
) -> None:
    pair, _ = await _signed_in(services, "ann@example.com")
    for _ in range(4):  # used every 13 days: idle expiry never comes
        kit.clock.advance(timedelta(days=13))
        pair = await services.auth.refresh(pair.refresh_token, ctx=CTX)
    kit.clock.advance(timedelta(days=60 - 52) - timedelta(minutes=5))
    pair = await services.auth.refresh(pair.refresh_token, ctx=CTX)
    await services.auth.authenticate_access_token(pair.access_token)  # cached, live 5 min

    kit.clock.advance(timedelta(minutes=6))  # past the absolute end; the token lives on

    with pytest.raises(AuthenticationFailed):
        await services.auth.authenticate_access_token(pair.access_token)
