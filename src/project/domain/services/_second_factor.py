"""Second-factor steps that login and the enrolment service share (S7)."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

from project.domain.model.errors import RateLimited
from project.domain.model.ids import UserId
from project.domain.model.second_factor import TotpFactor, recovery_code_hash, totp_code
from project.domain.model.secrets import same_secret
from project.domain.model.users import User
from project.domain.services._deps import AuthDeps
from project.ports.repositories import UnitOfWork
from project.ports.second_factor import OneTimePasswords

# Codes typed to change the second factor (not to log in: the login throttle covers that).
CHANGE_ATTEMPTS = 10
CHANGE_WINDOW = timedelta(minutes=15)


class Spent(enum.Enum):
    TOTP = "totp"
    RECOVERY_CODE = "recovery_code"


async def spend_code(
    deps: AuthDeps, uow: UnitOfWork, factor: TotpFactor, text: str, now: datetime
) -> Spent | None:
    """Spend a TOTP code or a recovery code of the factor's user; None when neither is valid.

    Both are spent by one conditional update, so a code raced by two requests works for one.
    The caller commits.
    """
    code = totp_code(text)
    if code is not None:
        secret = deps.sealer.open(factor.sealed_secret, context=str(factor.user_id))
        step = matching_step(deps.otp, secret, factor, code, now)
        if step is not None and await uow.second_factors.use_step(factor.user_id, step):
            return Spent.TOTP
        return None
    digest = recovery_code_hash(text)
    if digest is not None and await uow.recovery_codes.use(factor.user_id, digest, now):
        return Spent.RECOVERY_CODE
    return None


def matching_step(
    otp: OneTimePasswords, secret: str, factor: TotpFactor, code: str, now: datetime
) -> int | None:
    """The oldest usable step whose code is `code`; every candidate is compared."""
    steps = factor.usable_steps(now)
    matches = [step for step in steps if same_secret(otp.code_at(secret, step), code)]
    return matches[0] if matches else None


async def must_enrol(deps: AuthDeps, uow: UnitOfWork, user: User) -> bool:
    """True when the user has to use a second factor and has none turned on.

    Reads the factor only for users it concerns, so by default no request pays for it.
    """
    if not deps.config.totp_requirement.covers(user):
        return False
    factor = await uow.second_factors.get(user.id)
    return factor is None or not factor.is_enabled


async def count_change_attempt(deps: AuthDeps, user_id: UserId) -> None:
    """Count one code typed to change the second factor; refuse past the limit (429)."""
    decision = await deps.limiter.hit(
        f"mfa:change:{user_id}", limit=CHANGE_ATTEMPTS, window=CHANGE_WINDOW
    )
    if not decision.allowed:
        raise RateLimited(
            "Too many two-factor attempts; try again later.",
            retry_after_seconds=decision.retry_after_seconds,
        )


async def forget_change_attempts(deps: AuthDeps, user_id: UserId) -> None:
    await deps.limiter.reset(f"mfa:change:{user_id}")
