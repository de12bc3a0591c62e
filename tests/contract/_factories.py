"""Entities with every field set, and a unit of work that commits, for the contract suite."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from project.domain.model.audit import AuditAction, AuditEvent
from project.domain.model.ids import ApiTokenId, AuditEventId, SessionId, UserId
from project.domain.model.secrets import hash_secret
from project.domain.model.sessions import RefreshToken, Session
from project.domain.model.tokens import ApiToken, Invite, PasswordResetToken, Scope
from project.domain.model.users import Role, User, UserStatus
from project.ports.repositories import UnitOfWork, UnitOfWorkFactory

# Microseconds prove the precision survives; a +02:00 offset proves times come back in UTC.
T0 = datetime(2025, 3, 1, 12, 30, 15, 123456, tzinfo=UTC)
PLUS_TWO = timezone(timedelta(hours=2))


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def ordered_ids(count: int) -> list[uuid.UUID]:
    return sorted(uuid.uuid4() for _ in range(count))


def token_hash() -> str:
    return hash_secret(uuid.uuid4().hex)


@asynccontextmanager
async def committing(factory: UnitOfWorkFactory) -> AsyncIterator[UnitOfWork]:
    async with factory() as uow:
        yield uow
        await uow.commit()


def a_user(**changes: Any) -> User:
    user_id = UserId(uuid.uuid4())
    fields: dict[str, Any] = {
        "id": user_id,
        "email": f"user-{user_id.hex[:12]}@example.com",
        "display_name": "Ann Example",
        "role": Role.USER,
        "status": UserStatus.ACTIVE,
        "password_hash": "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
        "created_at": T0,
    }
    return User(**(fields | changes))


def a_session(user: User, **changes: Any) -> Session:
    fields: dict[str, Any] = {
        "id": SessionId(uuid.uuid4()),
        "user_id": user.id,
        "created_at": T0,
        "last_used_at": T0,
        "user_agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0",
        "ip": "203.0.113.7",
    }
    return Session(**(fields | changes))


def a_refresh_token(session: Session, **changes: Any) -> RefreshToken:
    fields: dict[str, Any] = {
        "token_hash": token_hash(),
        "session_id": session.id,
        "created_at": T0,
    }
    return RefreshToken(**(fields | changes))


def an_api_token(user: User, **changes: Any) -> ApiToken:
    fields: dict[str, Any] = {
        "id": ApiTokenId(uuid.uuid4()),
        "user_id": user.id,
        "name": "laptop script",
        "token_hash": token_hash(),
        "hint": "pat_Ab…yZ",
        "scopes": frozenset({Scope.READ, Scope.WRITE}),
        "created_at": T0,
    }
    return ApiToken(**(fields | changes))


def a_reset_token(user: User, **changes: Any) -> PasswordResetToken:
    fields: dict[str, Any] = {
        "token_hash": token_hash(),
        "user_id": user.id,
        "created_at": T0,
        "expires_at": at(1800),
    }
    return PasswordResetToken(**(fields | changes))


def an_invite(creator: User, **changes: Any) -> Invite:
    fields: dict[str, Any] = {
        "token_hash": token_hash(),
        "created_by": creator.id,
        "created_at": T0,
        "expires_at": at(7 * 86400),
    }
    return Invite(**(fields | changes))


def an_event(**changes: Any) -> AuditEvent:
    fields: dict[str, Any] = {
        "id": AuditEventId(uuid.uuid4()),
        "occurred_at": T0,
        "action": AuditAction.LOGIN_SUCCESS,
    }
    return AuditEvent(**(fields | changes))


def datetimes_of(entity: Any) -> list[datetime]:
    values = (getattr(entity, name) for name in entity.__struct_fields__)
    return [value for value in values if isinstance(value, datetime)]
