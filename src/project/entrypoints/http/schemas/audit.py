"""The audit log on the wire (admins only)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from project.domain.model.audit import AuditAction, AuditEvent
from project.entrypoints.http.schemas._base import OutBody


class AuditEventOut(OutBody):
    id: UUID
    occurred_at: datetime
    action: AuditAction
    actor_id: UUID | None
    subject_id: UUID | None
    ip: str
    detail: dict[str, str]

    @classmethod
    def of(cls, event: AuditEvent) -> AuditEventOut:
        return cls(
            id=event.id,
            occurred_at=event.occurred_at,
            action=event.action,
            actor_id=event.actor_id,
            subject_id=event.subject_id,
            ip=event.ip,
            detail=dict(event.detail),
        )


class AuditList(OutBody):
    items: list[AuditEventOut]
    limit: int
    offset: int
