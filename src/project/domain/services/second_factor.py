"""The caller's second factor (REQUIREMENTS S7): enrol a TOTP app, turn it off, new recovery codes.

Enrolment has two steps: `start` makes a secret (not yet active) for the app, `confirm` turns it
on with a first valid code and hands out ten recovery codes, once. Turning it off needs the
password and a code; new recovery codes need a code. Only a signed-in session may do any of
this: a personal API token leaked into a script must not be able to lock its owner out.
"""

from __future__ import annotations

from datetime import datetime
from typing import NoReturn
from urllib.parse import urlsplit

from project.domain.model.audit import AuditAction
from project.domain.model.context import Context
from project.domain.model.errors import SecondFactorState, WrongPassword, WrongSecondFactor
from project.domain.model.principal import Principal
from project.domain.model.second_factor import (
    Enrolment,
    SecondFactorStatus,
    TotpFactor,
    new_recovery_codes,
    recovery_codes_for,
    totp_code,
)
from project.domain.model.users import User
from project.domain.services._common import account_changed, audit, require_user
from project.domain.services._deps import AuthDeps
from project.domain.services._second_factor import (
    count_change_attempt,
    forget_change_attempts,
    matching_step,
    spend_code,
)
from project.ports.repositories import UnitOfWork

_NOT_ON = "Two-factor sign-in is not on for this account."


class SecondFactorService:
    def __init__(self, deps: AuthDeps) -> None:
        self._d = deps

    async def status(self, principal: Principal) -> SecondFactorStatus:
        async with self._d.uow() as uow:
            user = await require_user(uow, principal.user_id)
            factor = await uow.second_factors.get(user.id)
            left = await uow.recovery_codes.count_unused(user.id)
        return SecondFactorStatus(
            enabled=factor is not None and factor.is_enabled,
            enrolment_started=factor is not None and not factor.is_enabled,
            required=self._d.config.totp_requirement.covers(user),
            recovery_codes_left=left,
        )

    async def start(self, principal: Principal, *, ctx: Context) -> Enrolment:
        """A new secret for the authenticator app, active once confirmed; restarting replaces
        an unconfirmed one. Raises SecondFactorState when a factor is already on."""
        principal.require_session("set up two-factor sign-in")
        secret = self._d.otp.new_secret()
        async with self._d.uow() as uow:
            user = await require_user(uow, principal.user_id)
            current = await uow.second_factors.get(user.id)
            if current is not None and current.is_enabled:
                raise SecondFactorState(
                    "Two-factor sign-in is already on; turn it off first to move to a new device."
                )
            sealed = self._d.sealer.seal(secret, context=str(user.id))
            factor = TotpFactor(user_id=user.id, sealed_secret=sealed, created_at=self._now())
            await uow.second_factors.save(factor)
            await self._audit(uow, AuditAction.MFA_ENROL_STARTED, user, ctx)
            await uow.commit()
        uri = self._d.otp.provisioning_uri(secret, account=user.email, issuer=self._issuer())
        return Enrolment(secret=secret, uri=uri)

    async def confirm(self, principal: Principal, code: str, *, ctx: Context) -> list[str]:
        """Turn the started factor on with a current code; returns the recovery codes, the
        only time they are shown. Raises WrongSecondFactor, SecondFactorState, RateLimited."""
        principal.require_session("set up two-factor sign-in")
        await count_change_attempt(self._d, principal.user_id)
        now = self._now()
        codes = new_recovery_codes()
        async with self._d.uow() as uow:
            user = await require_user(uow, principal.user_id)
            factor = await uow.second_factors.get(user.id)
            if factor is None or factor.is_enabled:
                raise SecondFactorState(
                    "Start enrolment first (POST /api/v1/me/totp/start)."
                    if factor is None
                    else "Two-factor sign-in is already on."
                )
            secret = self._d.sealer.open(factor.sealed_secret, context=str(user.id))
            digits = totp_code(code)
            step = matching_step(self._d.otp, secret, factor, digits, now) if digits else None
            if step is None:
                await self._refuse(uow, user, ctx, via="confirm")
            factor.confirm(now, step)
            await uow.second_factors.save(factor)
            await uow.recovery_codes.replace(user.id, recovery_codes_for(user.id, codes, now))
            await self._audit(uow, AuditAction.MFA_ENABLED, user, ctx)
            await uow.commit()
        await account_changed(self._d, user.id)  # its sessions need not enrol any more
        await forget_change_attempts(self._d, user.id)
        return codes

    async def disable(
        self, principal: Principal, password: str, code: str, *, ctx: Context
    ) -> None:
        """Turn the second factor off; needs the password and a TOTP or recovery code."""
        principal.require_session("turn off two-factor sign-in")
        await count_change_attempt(self._d, principal.user_id)
        async with self._d.uow() as uow:
            user = await require_user(uow, principal.user_id)
            factor = await uow.second_factors.get(user.id)
        if factor is None or not factor.is_enabled:
            raise SecondFactorState(_NOT_ON)
        if not await self._d.hasher.verify(user.password_hash, password):
            raise WrongPassword("The password is incorrect.")
        async with self._d.uow() as uow:
            factor = await uow.second_factors.get(user.id)
            if factor is None or not factor.is_enabled:
                raise SecondFactorState(_NOT_ON)
            if await spend_code(self._d, uow, factor, code, self._now()) is None:
                await self._refuse(uow, user, ctx, via="disable")
            await uow.second_factors.delete(user.id)
            await uow.recovery_codes.replace(user.id, [])
            await self._audit(uow, AuditAction.MFA_DISABLED, user, ctx, by="user")
            await uow.commit()
        await account_changed(self._d, user.id)  # a required factor must be enrolled again
        await forget_change_attempts(self._d, user.id)

    async def regenerate_recovery_codes(
        self, principal: Principal, code: str, *, ctx: Context
    ) -> list[str]:
        """Replace every recovery code with ten new ones (shown once); needs a code."""
        principal.require_session("make new recovery codes")
        await count_change_attempt(self._d, principal.user_id)
        now = self._now()
        codes = new_recovery_codes()
        async with self._d.uow() as uow:
            user = await require_user(uow, principal.user_id)
            factor = await uow.second_factors.get(user.id)
            if factor is None or not factor.is_enabled:
                raise SecondFactorState(_NOT_ON)
            if await spend_code(self._d, uow, factor, code, now) is None:
                await self._refuse(uow, user, ctx, via="recovery_codes")
            await uow.recovery_codes.replace(user.id, recovery_codes_for(user.id, codes, now))
            await self._audit(uow, AuditAction.MFA_RECOVERY_CODES_REGENERATED, user, ctx)
            await uow.commit()
        await forget_change_attempts(self._d, user.id)
        return codes

    async def _refuse(self, uow: UnitOfWork, user: User, ctx: Context, *, via: str) -> NoReturn:
        """Record the failed code, keep that record, and refuse (WrongSecondFactor)."""
        await uow.rollback()
        await self._audit(uow, AuditAction.MFA_FAIL, user, ctx, via=via)
        await uow.commit()
        raise WrongSecondFactor("The code is wrong or was already used.")

    async def _audit(
        self, uow: UnitOfWork, action: AuditAction, user: User, ctx: Context, **detail: str
    ) -> None:
        await audit(self._d, uow, action, actor=user.id, subject=user.id, ctx=ctx, **detail)

    def _now(self) -> datetime:
        return self._d.clock.now()

    def _issuer(self) -> str:
        """The name the app lists the account under: this instance's host."""
        return urlsplit(self._d.config.public_url).hostname or "project"
