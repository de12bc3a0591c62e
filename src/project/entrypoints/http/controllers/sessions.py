"""The caller's signed-in devices."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, delete, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from project.domain.model.context import Context
from project.domain.model.ids import SessionId
from project.domain.model.principal import Principal
from project.domain.services.sessions import SessionService
from project.entrypoints.http.schemas.auth import SessionList, SessionOut


class SessionController(Controller):
    path = "/api/v1/auth/sessions"
    tags = ["auth"]

    @get("/")
    async def list_sessions(
        self,
        sessions: NamedDependency[SessionService],
        principal: NamedDependency[Principal],
    ) -> SessionList:
        live = await sessions.list(principal)
        current = principal.session_id
        return SessionList(items=[SessionOut.of(s, current=current) for s in live])

    @delete("/{session_id:uuid}", status_code=204)
    async def revoke_session(
        self,
        session_id: FromPath[UUID],
        sessions: NamedDependency[SessionService],
        principal: NamedDependency[Principal],
        ctx: NamedDependency[Context],
    ) -> None:
        await sessions.revoke(principal, SessionId(session_id), ctx=ctx)
