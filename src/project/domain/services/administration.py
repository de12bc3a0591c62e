"""Admin user management, shared by `/api/v1/admin` and the `project users` CLI.

`actor` is the admin Principal over HTTP, or None for the local operator (CLI, library), who
is trusted because they already hold the database.
"""

from __future__ import annotations

from collections.abc import Sequence

from project.domain.model.audit import AuditAction
from project.domain.model.cache_keys import COLLECTIONS
from project.domain.model.context import Context
from project.domain.model.errors import InvalidInput, LastAdministrator, NotFound, PermissionDenied
from project.domain.model.ids import UserId
from project.domain.model.passwords import check_password
from project.domain.model.principal import Principal
from project.domain.model.secrets import INVITE_PREFIX, hash_secret, new_secret
from project.domain.model.tokens import INVITE_LIFETIME, Invite
from project.domain.model.users import (
    Role,
    User,
    UserStatus,
    clean_display_name,
    normalize_email,
)
from project.domain.services._common import (
    account_changed,
    audit,
    deny_sessions,
    require_user,
)
from project.domain.services._deps import AuthDeps

MAX_PAGE = 500


def _check(actor: Principal | None) -> UserId | None:
    if actor is None:
        return None
    actor.require_admin()
    return actor.user_id


class AdministrationService:
    def __init__(self, deps: AuthDeps) -> None:
        self._d = deps

    async def create_user(
        self,
        actor: Principal | None,
        email: str,
        password: str,
        *,
        role: Role = Role.USER,
        display_name: str | None = None,
        ctx: Context,
    ) -> User:
        """Create an account whatever the registration mode. Raises EmailTaken, WeakPassword."""
        actor_id = _check(actor)
        address = normalize_email(email)
        name = clean_display_name(display_name)
        check_password(password, email=address)
        password_hash = await self._d.hasher.hash(password)
        now = self._d.clock.now()
        user = User(
            id=UserId(self._d.ids.new_id()),
            email=address,
            display_name=name,
            role=role,
            status=UserStatus.ACTIVE,
            password_hash=password_hash,
            created_at=now,
            password_changed_at=now,
        )
        async with self._d.uow() as uow:
            await uow.users.add(user)
            await audit(
                self._d,
                uow,
                AuditAction.USER_CREATED,
                actor=actor_id,
                subject=user.id,
                ctx=ctx,
                via="admin",
                role=role.value,
            )
            await uow.commit()
        return user

    async def list_users(
        self, actor: Principal | None, *, limit: int = 100, offset: int = 0
    ) -> Sequence[User]:
        _check(actor)
        if not 1 <= limit <= MAX_PAGE or offset < 0:
            raise InvalidInput(f"limit must be 1-{MAX_PAGE} and offset >= 0.")
        async with self._d.uow() as uow:
            return await uow.users.list(limit=limit, offset=offset)

    async def get_user(self, actor: Principal | None, user_id: UserId) -> User:
        _check(actor)
        async with self._d.uow() as uow:
            return await require_user(uow, user_id)

    async def find_by_email(self, actor: Principal | None, email: str) -> User:
        _check(actor)
        address = normalize_email(email)
        async with self._d.uow() as uow:
            user = await uow.users.get_by_email(address)
        if user is None:
            raise NotFound(f"No user with email {address}.")
        return user

    async def set_role(
        self, actor: Principal | None, user_id: UserId, role: Role, *, ctx: Context
    ) -> User:
        actor_id = _check(actor)
        async with self._d.uow() as uow:
            user = await require_user(uow, user_id)
            previous = user.role
            user.set_role(role, admins_left=await uow.users.count_active_admins())
            await uow.users.update(user)
            await audit(
                self._d,
                uow,
                AuditAction.USER_ROLE_CHANGED,
                actor=actor_id,
                subject=user.id,
                ctx=ctx,
                old=previous.value,
                new=role.value,
            )
            await uow.commit()
        await account_changed(self._d, user.id)
        return user

    async def disable(self, actor: Principal | None, user_id: UserId, *, ctx: Context) -> User:
        """Disable the account and end its sessions at once (S5)."""
        actor_id = _check(actor)
        now = self._d.clock.now()
        async with self._d.uow() as uow:
            user = await require_user(uow, user_id)
            user.disable(admins_left=await uow.users.count_active_admins())
            await uow.users.update(user)
            ended = await uow.sessions.revoke_all(user.id, at=now, reason="account_disabled")
            await audit(
                self._d,
                uow,
                AuditAction.USER_DISABLED,
                actor=actor_id,
                subject=user.id,
                ctx=ctx,
                sessions_ended=str(len(ended)),
            )
            await uow.commit()
        await deny_sessions(self._d, user.id, ended)
        return user

    async def enable(self, actor: Principal | None, user_id: UserId, *, ctx: Context) -> User:
        actor_id = _check(actor)
        async with self._d.uow() as uow:
            user = await require_user(uow, user_id)
            user.enable()
            await uow.users.update(user)
            await audit(
                self._d, uow, AuditAction.USER_ENABLED, actor=actor_id, subject=user.id, ctx=ctx
            )
            await uow.commit()
        await account_changed(self._d, user.id)
        return user

    async def require_second_factor(
        self, actor: Principal | None, user_id: UserId, required: bool, *, ctx: Context
    ) -> User:
        """Oblige the account to use a second factor (S7), or lift that. Until it has one on,
        its sessions may only enrol, read the account and sign out."""
        actor_id = _check(actor)
        async with self._d.uow() as uow:
            user = await require_user(uow, user_id)
            user.require_second_factor(required)
            await uow.users.update(user)
            await audit(
                self._d,
                uow,
                AuditAction.MFA_REQUIREMENT_CHANGED,
                actor=actor_id,
                subject=user.id,
                ctx=ctx,
                required=str(required).lower(),
            )
            await uow.commit()
        await account_changed(self._d, user.id)
        return user

    async def reset_second_factor(
        self, actor: Principal | None, user_id: UserId, *, ctx: Context
    ) -> User:
        """Turn the account's second factor off and drop its recovery codes: the way back for
        someone who lost both their device and their codes. They may enrol again at once."""
        actor_id = _check(actor)
        async with self._d.uow() as uow:
            user = await require_user(uow, user_id)
            await uow.second_factors.delete(user.id)
            await uow.recovery_codes.replace(user.id, [])
            await audit(
                self._d, uow, AuditAction.MFA_RESET, actor=actor_id, subject=user.id, ctx=ctx
            )
            await uow.commit()
        await account_changed(self._d, user.id)
        return user

    async def reset_password(
        self, actor: Principal | None, user_id: UserId, new_password: str, *, ctx: Context
    ) -> User:
        """Set a user's password (they forgot it and mail is not set up); ends their sessions.

        Not one's own: that needs the current password (`PasswordService.change`), so a stolen
        admin session cannot take the account over. The local operator (CLI) may.

        Raises:
            PermissionDenied: an admin named their own account.
        """
        actor_id = _check(actor)
        if actor_id is not None and actor_id == user_id:
            raise PermissionDenied("Change your own password with your current one.")
        async with self._d.uow() as uow:
            user = await require_user(uow, user_id)
        check_password(new_password, email=user.email)
        new_hash = await self._d.hasher.hash(new_password)
        now = self._d.clock.now()
        async with self._d.uow() as uow:
            user = await require_user(uow, user_id)
            user.change_password_hash(new_hash, now)
            await uow.users.update(user)
            ended = await uow.sessions.revoke_all(user.id, at=now, reason="admin_password_reset")
            await audit(
                self._d,
                uow,
                AuditAction.PASSWORD_RESET,
                actor=actor_id,
                subject=user.id,
                ctx=ctx,
                via="admin",
                sessions_ended=str(len(ended)),
            )
            await uow.commit()
        await deny_sessions(self._d, user.id, ended)
        return user

    async def delete(self, actor: Principal | None, user_id: UserId, *, ctx: Context) -> None:
        """Delete the account and everything it owns; the audit trail keeps its events."""
        actor_id = _check(actor)
        now = self._d.clock.now()
        async with self._d.uow() as uow:
            user = await require_user(uow, user_id)
            if user.is_admin and user.is_active and await uow.users.count_active_admins() <= 1:
                raise LastAdministrator("The last active administrator cannot be deleted.")
            ended = await uow.sessions.revoke_all(user.id, at=now, reason="account_deleted")
            await uow.users.delete(user.id)
            await audit(
                self._d,
                uow,
                AuditAction.USER_DELETED,
                actor=actor_id,
                subject=user.id,
                ctx=ctx,
                email=user.email,
            )
            await uow.commit()
        await deny_sessions(self._d, user.id, ended)
        # Their collections and memberships went with them: cached access to those goes too.
        await self._d.cache.bump(COLLECTIONS)

    async def create_invite(
        self, actor: Principal | None, *, email: str | None = None, ctx: Context
    ) -> str:
        """A single-use registration invite for `invite` mode; returns the secret once."""
        actor_id = _check(actor)
        address = normalize_email(email) if email else None
        now = self._d.clock.now()
        secret = new_secret(INVITE_PREFIX)
        async with self._d.uow() as uow:
            creator = actor_id
            if creator is None:
                raise InvalidInput("An invite needs an administrator to vouch for it.")
            await uow.invites.add(
                Invite(
                    token_hash=hash_secret(secret),
                    created_by=creator,
                    created_at=now,
                    expires_at=now + INVITE_LIFETIME,
                    email=address,
                )
            )
            await audit(
                self._d,
                uow,
                AuditAction.INVITE_CREATED,
                actor=creator,
                subject=None,
                ctx=ctx,
                email=address or "",
            )
            await uow.commit()
        return secret
