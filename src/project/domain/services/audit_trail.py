"""Reading the audit log (admins only)."""

from __future__ import annotations

from collections.abc import Sequence

from project.domain.model.audit import AuditAction, AuditEvent
from project.domain.model.errors import InvalidInput
from project.domain.model.ids import UserId
from project.domain.model.principal import Principal
from project.domain.services._deps import AuthDeps

MAX_PAGE = 500


class AuditTrailService:
    def __init__(self, deps: AuthDeps) -> None:
        self._d = deps

    async def list(
        self,
        actor: Principal | None,
        *,
        limit: int = 100,
        offset: int = 0,
        subject_id: UserId | None = None,
        action: AuditAction | None = None,
    ) -> Sequence[AuditEvent]:
        """Newest events first; `actor` None is the local operator."""
        if actor is not None:
            actor.require_admin()
        if not 1 <= limit <= MAX_PAGE or offset < 0:
            raise InvalidInput(f"limit must be 1-{MAX_PAGE} and offset >= 0.")
        async with self._d.uow() as uow:
            return await uow.audit.list(
                limit=limit, offset=offset, subject_id=subject_id, action=action
            )
