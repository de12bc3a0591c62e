"""The append-only security log in `audit_events`, mirrored to the JSON log (S32).

The table is what admins query; the log line is what a SIEM collects. Each event is written
to the log when recorded, under its OWASP name, so an event of a transaction that later
rolls back still shows as attempted. Details carry ids and reasons, never secrets.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import structlog
from sqlalchemy import Row, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from project.adapters.sql.tables import audit_events
from project.domain.model.audit import AuditAction, AuditEvent
from project.domain.model.ids import AuditEventId, UserId

_log = structlog.get_logger("project.security")

_RESERVED = frozenset({"event", "actor_id", "subject_id", "ip", "level", "timestamp"})


class SqlAuditLog:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def record(self, event: AuditEvent) -> None:
        values = {
            "id": event.id,
            "occurred_at": event.occurred_at,
            "action": event.action.value,
            "actor_id": event.actor_id,
            "subject_id": event.subject_id,
            "ip": event.ip,
            "detail": dict(event.detail),
        }
        await self._conn.execute(insert(audit_events).values(values))
        _log.info(
            event.action.value,
            actor_id=str(event.actor_id) if event.actor_id else None,
            subject_id=str(event.subject_id) if event.subject_id else None,
            ip=event.ip,
            **{key: value for key, value in event.detail.items() if key not in _RESERVED},
        )

    async def list(
        self,
        *,
        limit: int,
        offset: int = 0,
        subject_id: UserId | None = None,
        action: AuditAction | None = None,
    ) -> Sequence[AuditEvent]:
        """Newest first; ties on the time fall back to the id (UUIDv7: newest first too)."""
        statement = select(audit_events)
        if subject_id is not None:
            statement = statement.where(audit_events.c.subject_id == subject_id)
        if action is not None:
            statement = statement.where(audit_events.c.action == action.value)
        statement = (
            statement.order_by(audit_events.c.occurred_at.desc(), audit_events.c.id.desc())
            .limit(limit)
            .offset(offset)
        )
        return [_to_event(row) for row in await self._conn.execute(statement)]


def _to_event(row: Row[Any]) -> AuditEvent:
    return AuditEvent(
        id=AuditEventId(row.id),
        occurred_at=row.occurred_at,
        action=AuditAction(row.action),
        actor_id=None if row.actor_id is None else UserId(row.actor_id),
        subject_id=None if row.subject_id is None else UserId(row.subject_id),
        ip=row.ip,
        detail=dict(row.detail),
    )
