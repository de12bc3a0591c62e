"""Accounts on the wire: the caller's own (`/me`) and the admin's view of everyone."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec

from project.domain.model.storage import StorageUsage
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
    totp_required: bool
    """An administrator requires this account to sign in with a second factor (S7)."""

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
            totp_required=user.totp_required,
        )


class StorageOut(OutBody):
    """What the account's archives take (snapshots, previews, favicons), and its quota (S23)."""

    used_bytes: int
    quota_bytes: int | None
    """None: no limit."""

    @classmethod
    def of(cls, usage: StorageUsage) -> StorageOut:
        return cls(used_bytes=usage.used_bytes, quota_bytes=usage.quota_bytes)


class MeOut(UserOut):
    """The caller's own account, with the storage it uses."""

    storage: StorageOut

    @classmethod
    def of_me(cls, user: User, usage: StorageUsage) -> MeOut:
        return cls(**msgspec.structs.asdict(UserOut.of(user)), storage=StorageOut.of(usage))


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
    totp_required: bool | msgspec.UnsetType = msgspec.UNSET
    """Require (or stop requiring) a second factor of the account (S7)."""


class SetPassword(InBody):
    new_password: Password


class CreateInvite(InBody):
    email: Email | None = None


class InviteOut(OutBody):
    invite: str
    """The invite secret, shown once; the invitee passes it to `POST /auth/register`."""
