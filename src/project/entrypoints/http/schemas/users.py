"""Accounts on the wire: the caller's own (`/me`) and the admin's view of everyone."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec

from project.domain.model.users import Role, User, UserStatus
from project.entrypoints.http.schemas._base import DisplayName, Email, InBody, OutBody, Password


class UserOut(OutBody):
    id: UUID
    email: str
    display_name: str
    role: Role
    status: UserStatus
    created_at: datetime
    last_login_at: datetime | None

    @classmethod
    def of(cls, user: User) -> UserOut:
        return cls(
            id=user.id,
            email=user.email,
            display_name=user.display_name,
            role=user.role,
            status=user.status,
            created_at=user.created_at,
            last_login_at=user.last_login_at,
        )


class UserList(OutBody):
    items: list[UserOut]
    limit: int
    offset: int


class UpdateMe(InBody):
    """Absent fields stay as they are; a new email needs the current password."""

    display_name: DisplayName | msgspec.UnsetType = msgspec.UNSET
    email: Email | msgspec.UnsetType = msgspec.UNSET
    current_password: Password | msgspec.UnsetType = msgspec.UNSET


class CreateUser(InBody):
    email: Email
    password: Password
    role: Role = Role.USER
    display_name: DisplayName | None = None


class UpdateUser(InBody):
    role: Role | msgspec.UnsetType = msgspec.UNSET
    status: UserStatus | msgspec.UnsetType = msgspec.UNSET


class SetPassword(InBody):
    new_password: Password


class CreateInvite(InBody):
    email: Email | None = None


class InviteOut(OutBody):
    invite: str
    """The invite secret, shown once; the invitee passes it to `POST /auth/register`."""
