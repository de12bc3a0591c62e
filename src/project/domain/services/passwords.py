"""Password change and reset by emailed single-use token (SPEC 3.1, S3, S5)."""

from __future__ import annotations

from urllib.parse import quote

from project.domain.model.audit import AuditAction
from project.domain.model.context import Context
from project.domain.model.errors import (
    AuthenticationFailed,
    InvalidEmail,
    InvalidInput,
    MailDeliveryFailed,
    WrongPassword,
)
from project.domain.model.mail import OutgoingEmail
from project.domain.model.passwords import check_password
from project.domain.model.principal import Principal
from project.domain.model.secrets import RESET_PREFIX, hash_secret, new_secret
from project.domain.model.tokens import PASSWORD_RESET_LIFETIME, PasswordResetToken
from project.domain.model.users import normalize_email
from project.domain.services._common import audit, deny_sessions, require_user
from project.domain.services._deps import AuthDeps


class PasswordService:
    def __init__(self, deps: AuthDeps) -> None:
        self._d = deps

    async def change(self, principal: Principal, current: str, new: str, *, ctx: Context) -> None:
        """Change the caller's password and end every other session they have."""
        if principal.session_id is None:
            raise InvalidInput("Sign in with your password to change it; API tokens cannot.")
        async with self._d.uow() as uow:
            user = await require_user(uow, principal.user_id)
        if not await self._d.hasher.verify(user.password_hash, current):
            raise WrongPassword("The current password is incorrect.")
        check_password(new, email=user.email)
        new_hash = await self._d.hasher.hash(new)
        now = self._d.clock.now()
        async with self._d.uow() as uow:
            user = await require_user(uow, principal.user_id)
            user.change_password_hash(new_hash, now)
            await uow.users.update(user)
            ended = await uow.sessions.revoke_all(
                user.id, at=now, reason="password_change", keep=principal.session_id
            )
            await audit(
                self._d,
                uow,
                AuditAction.PASSWORD_CHANGE,
                actor=user.id,
                subject=user.id,
                ctx=ctx,
                sessions_ended=str(len(ended)),
            )
            await uow.commit()
        await deny_sessions(self._d, user.id, ended)

    async def request_reset(self, email: str, *, ctx: Context) -> None:
        """Mail a reset link if the address belongs to an active account.

        Returns the same way whether or not it does, so the endpoint reveals nothing (S3).
        """
        try:
            address = normalize_email(email)
        except InvalidEmail:
            return
        now = self._d.clock.now()
        secret = new_secret(RESET_PREFIX)
        async with self._d.uow() as uow:
            user = await uow.users.get_by_email(address)
            if user is None or not user.is_active:
                return
            await uow.password_resets.add(
                PasswordResetToken(
                    token_hash=hash_secret(secret),
                    user_id=user.id,
                    created_at=now,
                    expires_at=now + PASSWORD_RESET_LIFETIME,
                )
            )
            await audit(
                self._d,
                uow,
                AuditAction.PASSWORD_RESET_REQUEST,
                actor=None,
                subject=user.id,
                ctx=ctx,
            )
            await uow.commit()
        try:
            await self._d.mailer.send(self._reset_mail(address, secret))
        except MailDeliveryFailed:
            # Answering differently would tell the caller the account exists (S3).
            async with self._d.uow() as uow:
                await audit(
                    self._d,
                    uow,
                    AuditAction.PASSWORD_RESET_REQUEST,
                    actor=None,
                    subject=user.id,
                    ctx=ctx,
                    mail="failed",
                )
                await uow.commit()

    async def confirm_reset(self, token: str, new_password: str, *, ctx: Context) -> None:
        """Set a new password with a reset token; ends every session of the account."""
        token_hash = hash_secret(token)
        now = self._d.clock.now()
        async with self._d.uow() as uow:
            reset = await uow.password_resets.get(token_hash)
            if reset is None or not reset.is_usable(now):
                raise AuthenticationFailed("This reset link is invalid or has expired.")
            user = await require_user(uow, reset.user_id)
        check_password(new_password, email=user.email)
        new_hash = await self._d.hasher.hash(new_password)
        async with self._d.uow() as uow:
            if not await uow.password_resets.mark_used(token_hash, now):
                raise AuthenticationFailed("This reset link is invalid or has expired.")
            user = await require_user(uow, reset.user_id)
            user.change_password_hash(new_hash, now)
            await uow.users.update(user)
            ended = await uow.sessions.revoke_all(user.id, at=now, reason="password_reset")
            await audit(
                self._d,
                uow,
                AuditAction.PASSWORD_RESET,
                actor=user.id,
                subject=user.id,
                ctx=ctx,
                sessions_ended=str(len(ended)),
            )
            await uow.commit()
        await deny_sessions(self._d, user.id, ended)

    def _reset_mail(self, address: str, secret: str) -> OutgoingEmail:
        minutes = int(PASSWORD_RESET_LIFETIME.total_seconds() // 60)
        link = f"{self._d.config.public_url}/reset-password?token={quote(secret)}"
        return OutgoingEmail(
            to=address,
            subject="Reset your password",
            text=(
                "Someone asked to reset the password of your account.\n\n"
                f"To choose a new password, open this link within {minutes} minutes:\n{link}\n\n"
                f"Or use this reset token: {secret}\n\n"
                "If it was not you, ignore this message; your password stays as it is.\n"
            ),
        )
