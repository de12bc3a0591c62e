"""The security audit log, newest first."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from project.domain.model.audit import AuditAction
from project.domain.model.ids import UserId
from project.domain.model.principal import Principal
from project.domain.services.audit_trail import AuditTrailService
from project.entrypoints.http.schemas.audit import AuditEventOut, AuditList
from project.entrypoints.http.schemas.paging import Limit, Offset

SubjectFilter = Annotated[UUID | None, QueryParameter(description="Only events about this user.")]
ActionFilter = Annotated[AuditAction | None, QueryParameter(description="Only this event.")]


class AdminAuditController(Controller):
    path = "/api/v1/admin/audit"
    tags = ["admin"]

    @get("/")
    async def list_events(
        self,
        audit: NamedDependency[AuditTrailService],
        principal: NamedDependency[Principal],
        limit: Limit = 100,
        offset: Offset = 0,
        user_id: SubjectFilter = None,
        action: ActionFilter = None,
    ) -> AuditList:
        events = await audit.list(
            principal,
            limit=limit,
            offset=offset,
            subject_id=UserId(user_id) if user_id else None,
            action=action,
        )
        return AuditList(items=[AuditEventOut.of(e) for e in events], limit=limit, offset=offset)
