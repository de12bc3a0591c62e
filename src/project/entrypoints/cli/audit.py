"""`project audit`: the security event log, newest first."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
import typer

from project.domain.model.audit import AuditAction, AuditEvent
from project.domain.services.audit_trail import MAX_PAGE
from project.entrypoints.cli import _runner
from project.entrypoints.cli._output import emit
from project.entrypoints.library import Project


class EventRow(msgspec.Struct, kw_only=True):
    occurred_at: datetime
    action: AuditAction
    actor_id: UUID | None
    subject_id: UUID | None
    ip: str
    detail: dict[str, str]


def _row(event: AuditEvent) -> EventRow:
    return msgspec.convert(event, EventRow, from_attributes=True)


def audit(
    limit: Annotated[int, typer.Option(min=1, max=MAX_PAGE, help="At most this many.")] = 100,
    offset: Annotated[int, typer.Option(min=0, help="Skip this many newest first.")] = 0,
    user: Annotated[
        str | None, typer.Option("--user", help="Only events about this email.", show_default=False)
    ] = None,
    action: Annotated[
        AuditAction | None,
        typer.Option(
            "--action",
            metavar="ACTION",
            help="Only this kind of event, e.g. user_created or authn_login_fail.",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Show security events: sign-ins, failures, password, role, token and session changes."""

    async def fetch(project: Project) -> list[AuditEvent]:
        subject = await project.admin.find_by_email(None, user) if user else None
        events = await project.audit.list(
            None,
            limit=limit,
            offset=offset,
            subject_id=subject.id if subject else None,
            action=action,
        )
        return list(events)

    events = _runner.run(fetch)
    if as_json:
        emit(events, AuditEvent, as_json=True)
    else:
        emit([_row(event) for event in events], EventRow, as_json=False)
