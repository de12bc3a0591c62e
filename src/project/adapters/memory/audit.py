"""The security log, held in memory."""

from __future__ import annotations

from collections.abc import Sequence

from project.adapters.memory._store import Transaction, handed_out, stored
from project.domain.model.audit import AuditAction, AuditEvent
from project.domain.model.ids import UserId


class InMemoryAuditLog:
    def __init__(self, transaction: Transaction) -> None:
        self._tx = transaction

    async def record(self, event: AuditEvent) -> None:
        tables = await self._tx.writing()
        tables.audit.append(stored(event))

    async def list(
        self,
        *,
        limit: int,
        offset: int = 0,
        subject_id: UserId | None = None,
        action: AuditAction | None = None,
    ) -> Sequence[AuditEvent]:
        """Newest first; ties on the time fall back to the id, as in SQL."""
        events = [
            event
            for event in self._tx.reading().audit
            if (subject_id is None or event.subject_id == subject_id)
            and (action is None or event.action is action)
        ]
        events.sort(key=lambda event: (event.occurred_at, event.id), reverse=True)
        return [handed_out(event) for event in events[offset : offset + limit]]
