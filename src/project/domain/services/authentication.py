"""Registration, login, refresh and request authentication (SPEC 3.1, S1-S5, S8-S12)."""

from __future__ import annotations

from datetime import timedelta

from project.domain.model.audit import AuditAction
from project.domain.model.cache_keys import SESSION_TTL, account_scope, session_key
from project.domain.model.context import Context
from project.domain.model.errors import (
    AuthenticationFailed,
    InvalidEmail,
    SecondFactorFailed,
    SecondFactorRequired,
)
from project.domain.model.ids import SessionId, UserId
from project.domain.model.passwords import MAX_PASSWORD_LENGTH, check_password
from project.domain.model.principal import Principal, SessionCheck
from project.domain.model.registration import check_self_registration, role_for_new_account
from project.domain.model.secrets import API_TOKEN_PREFIX, hash_secret
from project.domain.model.sessions import Session
from project.domain.model.throttling import (
    COUNT_ONLY,
    HOUR,
    AccountKeys,
    ThrottleScope,
    ip_key,
    refuse_unless_allowed,
)
from project.domain.model.tokens import TokenPair
from project.domain.model.users import User, UserStatus, clean_display_name, normalize_email
from project.domain.services._common import (
    audit,
    deny_sessions,
    issue_pair,
    new_refresh_token,
)
from project.domain.services._deps import AuthDeps
from project.domain.services._second_factor import Spent, must_enrol, spend_code
from project.ports.repositories import UnitOfWork

# Writing last-used on every API call would turn reads into writes; a minute is precise enough.
_TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)


class AuthenticationService:
    """Turns credentials into sessions and tokens, and tokens back into a Principal."""

    def __init__(self, deps: AuthDeps) -> None:
        self._d = deps

    async def register(
        self,
        email: str,
        password: str,
        *,
        display_name: str | None = None,
        invite: str | None = None,
        ctx: Context,
    ) -> User:
        """Create an account by self-registration, as the registration mode allows.

        Raises:
            RegistrationClosed, InvalidEmail, WeakPassword, EmailTaken.
        """
        address = normalize_email(email)
        name = clean_display_name(display_name)
        check_password(password, email=address)
        password_hash = await self._d.hasher.hash(password)
        now = self._d.clock.now()
        async with self._d.uow() as uow:
            existing = await uow.users.count()
            invite_hash = hash_secret(invite) if invite else None
            found = await uow.invites.get(invite_hash) if invite_hash else None
            valid_invite = found is not None and found.is_usable(now, address)
            check_self_registration(
                self._d.config.registration, existing_users=existing, has_valid_invite=valid_invite
            )
            if valid_invite and invite_hash and not await uow.invites.mark_used(invite_hash, now):
                valid_invite = False
                check_self_registration(
                    self._d.config.registration, existing_users=existing, has_valid_invite=False
                )
            user = User(
                id=UserId(self._d.ids.new_id()),
                email=address,
                display_name=name,
                role=role_for_new_account(existing_users=existing),
                status=UserStatus.ACTIVE,
                password_hash=password_hash,
                created_at=now,
                password_changed_at=now,
            )
            await uow.users.add(user)
            await audit(
                self._d,
                uow,
                AuditAction.USER_CREATED,
                actor=user.id,
                subject=user.id,
                ctx=ctx,
                via="invite" if valid_invite else "registration",
                role=user.role.value,
            )
            await uow.commit()
        return user

    async def login(
        self, email: str, password: str, *, second_factor: str | None = None, ctx: Context
    ) -> TokenPair:
        """Check credentials and open a session.

        Unknown email, wrong password and disabled account fail alike, and all three run a
        full argon2 verification, so neither the answer nor its timing tells them apart (S3).
        The throttle is asked first, by the address as typed (S30): a throttled login costs
        no argon2 work and answers the same whether or not the account exists.

        An account with a second factor on then needs `second_factor`, a current TOTP code or
        an unused recovery code (S7). Until the login succeeds it counts as a failed attempt,
        so wrong codes feed the same throttle as wrong passwords.

        Raises:
            LoginThrottled: too many attempts on the account or from the client address.
            SecondFactorRequired: the password is right; the code is missing.
            SecondFactorFailed: the password is right; the code is wrong, used or too old.
            AuthenticationFailed: the credentials do not open a session.
        """
        keys = AccountKeys.of(email)
        await self._throttle(keys, ctx)
        user = await self._find_by_email(email)
        if user is None or len(password) > MAX_PASSWORD_LENGTH:
            await self._d.hasher.verify_dummy(password[:MAX_PASSWORD_LENGTH])
            await self._record_failure(None, ctx, reason="unknown_account")
            raise AuthenticationFailed("Incorrect email or password.")
        if not await self._d.hasher.verify(user.password_hash, password) or not user.is_active:
            reason = "bad_password" if user.is_active else "disabled"
            await self._record_failure(user.id, ctx, reason=reason)
            raise AuthenticationFailed("Incorrect email or password.")
        await self._check_second_factor(user, second_factor, ctx)
        new_hash = None
        if self._d.hasher.needs_rehash(user.password_hash):
            new_hash = await self._d.hasher.hash(password)
        pair = await self._open_session(user.id, new_hash, ctx)
        for key in keys.all:
            await self._d.limiter.reset(key)
        return pair

    async def refresh(self, refresh_token: str, *, ctx: Context) -> TokenPair:
        """Rotate a refresh token; replaying a rotated one revokes its whole session (S11)."""
        token_hash = hash_secret(refresh_token)
        now = self._d.clock.now()
        async with self._d.uow() as uow:
            token = await uow.refresh_tokens.get(token_hash)
            if token is None:
                raise AuthenticationFailed()
            session = await uow.sessions.get(token.session_id)
            if session is None:
                raise AuthenticationFailed()
            if token.is_rotated or not await uow.refresh_tokens.mark_rotated(token_hash, now):
                await self._revoke_for_reuse(uow, session, ctx)
                await uow.commit()
                await deny_sessions(self._d, session.user_id, [session.id])
                raise AuthenticationFailed()
            user = await uow.users.get(session.user_id)
            if user is None or not user.is_active:
                raise AuthenticationFailed()
            if not session.is_active(now, self._d.config.sessions):
                raise AuthenticationFailed()
            session.touch(now, ip=ctx.ip, user_agent=ctx.user_agent or None)
            await uow.sessions.update(session)
            secret, new_token = new_refresh_token(session.id, now)
            await uow.refresh_tokens.add(new_token)
            await uow.commit()
        return issue_pair(self._d, session, secret, now)

    async def authenticate_access_token(self, token: str) -> Principal:
        """The Principal behind a bearer access token, or AuthenticationFailed.

        The denylist is asked on every call (S5). What the database says of the account and
        the session is cached per session, under the account's version, which every change
        to its status, role, second factor or sessions moves on (`account_changed`).
        """
        claims = self._d.codec.decode(token)
        if await self._d.denylist.is_denied(claims.session_id):
            raise AuthenticationFailed()
        version = await self._d.cache.version(account_scope(claims.user_id))
        key = session_key(claims.user_id, claims.session_id, version)

        async def load() -> SessionCheck:
            return await self._check_session(claims.user_id, claims.session_id)

        check = await self._d.cache.get_or_load(key, SessionCheck, load, SESSION_TTL)
        if not check.is_current(self._d.clock.now()):
            check = await load()  # the cached copy outlived the session: ask the database
        return check.principal(claims.session_id)

    async def _check_session(self, user_id: UserId, session_id: SessionId) -> SessionCheck:
        now = self._d.clock.now()
        async with self._d.uow() as uow:
            user = await uow.users.get(user_id)
            session = await uow.sessions.get(session_id)
            if user is None or not user.is_active or session is None:
                raise AuthenticationFailed()
            if session.user_id != user.id or not session.is_active(now, self._d.config.sessions):
                raise AuthenticationFailed()
            enrol = await must_enrol(self._d, uow, user)
        return SessionCheck(
            user_id=user.id,
            role=user.role,
            must_enrol_second_factor=enrol,
            valid_until=session.ends_at(self._d.config.sessions),
        )

    async def authenticate_api_token(self, token: str) -> Principal:
        """The Principal behind a personal API token (`pat_...`), scoped as the token is (S12)."""
        if not token.startswith(API_TOKEN_PREFIX):
            raise AuthenticationFailed()
        now = self._d.clock.now()
        async with self._d.uow() as uow:
            api_token = await uow.api_tokens.get_by_hash(hash_secret(token))
            if api_token is None or not api_token.is_valid(now):
                raise AuthenticationFailed()
            user = await uow.users.get(api_token.user_id)
            if user is None or not user.is_active:
                raise AuthenticationFailed()
            enrol = await must_enrol(self._d, uow, user)
            last = api_token.last_used_at
            if last is None or now - last >= _TOKEN_TOUCH_INTERVAL:
                api_token.last_used_at = now
                await uow.api_tokens.update(api_token)
                await uow.commit()
        return Principal(
            user_id=user.id,
            role=user.role,
            api_token_id=api_token.id,
            scopes=api_token.scopes,
            must_enrol_second_factor=enrol,
        )

    async def _throttle(self, keys: AccountKeys, ctx: Context) -> None:
        """Count this attempt, or refuse it with LoginThrottled.

        The attempt counts as a failure until it succeeds (success resets the account's keys),
        so each check is one atomic hit per key: the lock key admits one attempt per lockout.
        """
        policy, limiter = self._d.throttle, self._d.limiter
        by_ip = await limiter.hit(ip_key(ctx.ip), limit=policy.ip_attempts, window=policy.ip_window)
        refuse_unless_allowed(by_ip, ThrottleScope.ADDRESS)
        run = await limiter.hit(keys.failures, limit=COUNT_ONLY, window=policy.failure_memory)
        if lockout := policy.lockout_after(run.limit - run.remaining):
            lock = await limiter.hit(keys.lock, limit=1, window=lockout)
            refuse_unless_allowed(lock, ThrottleScope.ACCOUNT)
        hourly = await limiter.hit(keys.hourly, limit=policy.account_failures_per_hour, window=HOUR)
        refuse_unless_allowed(hourly, ThrottleScope.ACCOUNT)

    async def _check_second_factor(self, user: User, code: str | None, ctx: Context) -> None:
        """Pass when the user has no second factor on, or `code` spends one of theirs."""
        async with self._d.uow() as uow:
            factor = await uow.second_factors.get(user.id)
            if factor is None or not factor.is_enabled:
                return
            spent = (
                await spend_code(self._d, uow, factor, code, self._d.clock.now()) if code else None
            )
            if spent is None:
                await uow.rollback()
                action = AuditAction.MFA_FAIL if code else AuditAction.LOGIN_FAIL
                reason = "second_factor_failed" if code else "second_factor_required"
                await audit(
                    self._d, uow, action, actor=None, subject=user.id, ctx=ctx, reason=reason
                )
                await uow.commit()
                raise SecondFactorFailed() if code else SecondFactorRequired()
            if spent is Spent.RECOVERY_CODE:
                left = await uow.recovery_codes.count_unused(user.id)
                await audit(
                    self._d,
                    uow,
                    AuditAction.MFA_RECOVERY_CODE_USED,
                    actor=user.id,
                    subject=user.id,
                    ctx=ctx,
                    left=str(left),
                )
            await uow.commit()

    async def _find_by_email(self, email: str) -> User | None:
        try:
            address = normalize_email(email)
        except InvalidEmail:
            return None
        async with self._d.uow() as uow:
            return await uow.users.get_by_email(address)

    async def _open_session(self, user_id: UserId, new_hash: str | None, ctx: Context) -> TokenPair:
        now = self._d.clock.now()
        async with self._d.uow() as uow:
            user = await uow.users.get(user_id)
            if user is None or not user.is_active:  # deleted or disabled during verification
                raise AuthenticationFailed("Incorrect email or password.")
            user.record_login(now)
            if new_hash is not None:
                user.password_hash = new_hash
            await uow.users.update(user)
            session = Session(
                id=SessionId(self._d.ids.new_id()),
                user_id=user.id,
                created_at=now,
                last_used_at=now,
                user_agent=ctx.user_agent,
                ip=ctx.ip,
            )
            await uow.sessions.add(session)
            secret, token = new_refresh_token(session.id, now)
            await uow.refresh_tokens.add(token)
            await audit(
                self._d,
                uow,
                AuditAction.LOGIN_SUCCESS,
                actor=user.id,
                subject=user.id,
                ctx=ctx,
                session=str(session.id),
            )
            await uow.commit()
        return issue_pair(self._d, session, secret, now)

    async def _record_failure(self, user_id: UserId | None, ctx: Context, *, reason: str) -> None:
        async with self._d.uow() as uow:
            await audit(
                self._d,
                uow,
                AuditAction.LOGIN_FAIL,
                actor=None,
                subject=user_id,
                ctx=ctx,
                reason=reason,
            )
            await uow.commit()

    async def _revoke_for_reuse(self, uow: UnitOfWork, session: Session, ctx: Context) -> None:
        session.revoke(self._d.clock.now(), "refresh_token_reuse")
        await uow.sessions.update(session)
        await audit(
            self._d,
            uow,
            AuditAction.TOKEN_REUSE,
            actor=None,
            subject=session.user_id,
            ctx=ctx,
            session=str(session.id),
        )
