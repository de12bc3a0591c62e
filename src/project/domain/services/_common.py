"""Steps several auth use cases share: auditing, ending sessions, issuing token pairs."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from project.domain.model.audit import AuditAction, AuditEvent
from project.domain.model.cache_keys import account_scope
from project.domain.model.context import Context
from project.domain.model.errors import NotFound
from project.domain.model.ids import AuditEventId, SessionId, UserId
from project.domain.model.secrets import REFRESH_PREFIX, hash_secret, new_secret
from project.domain.model.sessions import RefreshToken, Session
from project.domain.model.tokens import AccessClaims, TokenPair
from project.domain.model.users import User
from project.domain.services._deps import AuthDeps
from project.ports.repositories import UnitOfWork

DENYLIST_MARGIN = timedelta(minutes=1)


async def audit(
    deps: AuthDeps,
    uow: UnitOfWork,
    action: AuditAction,
    *,
    actor: UserId | None,
    subject: UserId | None,
    ctx: Context,
    **detail: str,
) -> None:
    event = AuditEvent(
        id=AuditEventId(deps.ids.new_id()),
        occurred_at=deps.clock.now(),
        action=action,
        actor_id=actor,
        subject_id=subject,
        ip=ctx.ip,
        detail=detail,
    )
    await uow.audit.record(event)


async def deny_sessions(deps: AuthDeps, user_id: UserId, session_ids: Iterable[SessionId]) -> None:
    """Make the sessions' outstanding access tokens fail now, not when they expire (S5).

    Called after the revocation is committed, so the denylist never names a session the
    database still holds as live. The user's cached session checks go too (`account_changed`).
    """
    # A margin past the lifetime covers the codec's clock-skew leeway on `exp`.
    ttl = deps.config.sessions.access_lifetime + DENYLIST_MARGIN
    for session_id in session_ids:
        await deps.denylist.deny(session_id, ttl)
    await account_changed(deps, user_id)


async def account_changed(deps: AuthDeps, user_id: UserId) -> None:
    """After a committed change to what authenticating reads (status, role, second factor,
    sessions): no cached session check of the user is used again."""
    await deps.cache.bump(account_scope(user_id))


async def require_user(uow: UnitOfWork, user_id: UserId) -> User:
    user = await uow.users.get(user_id)
    if user is None:
        raise NotFound("No such user.")
    return user


def new_refresh_token(session_id: SessionId, now: datetime) -> tuple[str, RefreshToken]:
    secret = new_secret(REFRESH_PREFIX)
    return secret, RefreshToken(
        token_hash=hash_secret(secret), session_id=session_id, created_at=now
    )


def issue_pair(deps: AuthDeps, session: Session, refresh_secret: str, now: datetime) -> TokenPair:
    lifetime = deps.config.sessions.access_lifetime
    claims = AccessClaims(
        user_id=session.user_id,
        session_id=session.id,
        token_id=secrets.token_urlsafe(16),
        issued_at=now,
        expires_at=now + lifetime,
    )
    return TokenPair(
        access_token=deps.codec.encode(claims),
        refresh_token=refresh_secret,
        expires_in=int(lifetime.total_seconds()),
        session_id=session.id,
    )
