"""A user's signed-in devices: list, revoke one, log out, log out everywhere (S5)."""

from __future__ import annotations

from collections.abc import Sequence

from project.domain.model.audit import AuditAction
from project.domain.model.context import Context
from project.domain.model.errors import InvalidInput, NotFound
from project.domain.model.ids import SessionId
from project.domain.model.principal import Principal
from project.domain.model.sessions import Session
from project.domain.services._common import audit, deny_sessions
from project.domain.services._deps import AuthDeps


class SessionService:
    def __init__(self, deps: AuthDeps) -> None:
        self._d = deps

    async def list(self, principal: Principal) -> Sequence[Session]:
        """Live sessions of the caller, most recently used first."""
        now = self._d.clock.now()
        async with self._d.uow() as uow:
            sessions = await uow.sessions.list_active(principal.user_id)
        live = [s for s in sessions if s.is_active(now, self._d.config.sessions)]
        return sorted(live, key=lambda s: s.last_used_at, reverse=True)

    async def revoke(self, principal: Principal, session_id: SessionId, *, ctx: Context) -> None:
        """End one of the caller's sessions; someone else's is reported as not found."""
        now = self._d.clock.now()
        async with self._d.uow() as uow:
            session = await uow.sessions.get(session_id)
            if session is None or session.user_id != principal.user_id:
                raise NotFound("No such session.")
            session.revoke(now, "revoked_by_user")
            await uow.sessions.update(session)
            await audit(
                self._d,
                uow,
                AuditAction.SESSION_REVOKED,
                actor=principal.user_id,
                subject=principal.user_id,
                ctx=ctx,
                session=str(session_id),
            )
            await uow.commit()
        await deny_sessions(self._d, principal.user_id, [session_id])

    async def logout(self, principal: Principal, *, ctx: Context) -> None:
        """End the session the caller's access token belongs to."""
        if principal.session_id is None:
            raise InvalidInput(
                "Personal API tokens have no session to log out of; revoke the token."
            )
        await self.revoke(principal, principal.session_id, ctx=ctx)

    async def logout_all(self, principal: Principal, *, ctx: Context) -> int:
        """End every session of the caller, this one included; returns how many ended."""
        async with self._d.uow() as uow:
            ended = await uow.sessions.revoke_all(
                principal.user_id, at=self._d.clock.now(), reason="logout_all"
            )
            await audit(
                self._d,
                uow,
                AuditAction.SESSIONS_REVOKED_ALL,
                actor=principal.user_id,
                subject=principal.user_id,
                ctx=ctx,
                count=str(len(ended)),
            )
            await uow.commit()
        await deny_sessions(self._d, principal.user_id, ended)
        return len(ended)
