"""Users, their email addresses, roles and statuses."""

from __future__ import annotations

import enum
import unicodedata
from datetime import datetime

import msgspec

from project.domain.model.errors import InvalidEmail, InvalidInput, LastAdministrator
from project.domain.model.ids import UserId

MAX_EMAIL_LENGTH = 254
MAX_DISPLAY_NAME_LENGTH = 100


class Role(enum.StrEnum):
    ADMIN = "admin"
    USER = "user"


class UserStatus(enum.StrEnum):
    ACTIVE = "active"
    DISABLED = "disabled"


def normalize_email(raw: str) -> str:
    """Return the one spelling under which an address is stored and compared.

    Case is folded for the whole address: no mail provider this service meets treats
    `Ann@x` and `ann@x` as different people, and uniqueness must not depend on typing.
    The domain is IDNA-encoded so `bücher.example` and `xn--bcher-kva.example` collide.

    Raises:
        InvalidEmail: the text is not a plausible single address.
    """
    text = unicodedata.normalize("NFC", raw.strip()).lower()
    if not text or len(text) > MAX_EMAIL_LENGTH or text.count("@") != 1:
        raise InvalidEmail("Enter a single email address such as name@example.com.")
    local, domain = text.split("@")
    if not local or len(local) > 64 or any(_is_forbidden_char(c) for c in text):
        raise InvalidEmail("Enter a single email address such as name@example.com.")
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        raise InvalidEmail("The email address has an invalid domain.") from None
    labels = ascii_domain.split(".")
    if len(labels) < 2 or any(not label or len(label) > 63 for label in labels):
        raise InvalidEmail("The email address has an invalid domain.")
    normalized = f"{local}@{ascii_domain}"
    if len(normalized) > MAX_EMAIL_LENGTH:
        raise InvalidEmail("The email address is too long.")
    return normalized


def _is_forbidden_char(char: str) -> bool:
    return char.isspace() or unicodedata.category(char).startswith("C") or char in '<>()[]\\,;:"'


def clean_display_name(raw: str | None) -> str:
    name = " ".join((raw or "").split())
    if len(name) > MAX_DISPLAY_NAME_LENGTH:
        raise InvalidInput(f"Display name must be at most {MAX_DISPLAY_NAME_LENGTH} characters.")
    return name


class User(msgspec.Struct, kw_only=True):
    """A person who can sign in. Decisions about the account live here."""

    id: UserId
    email: str
    display_name: str
    role: Role
    status: UserStatus
    password_hash: str
    created_at: datetime
    last_login_at: datetime | None = None
    password_changed_at: datetime | None = None
    totp_required: bool = False
    """An administrator obliges this account to sign in with a second factor (S7)."""

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def is_active(self) -> bool:
        return self.status is UserStatus.ACTIVE

    def record_login(self, at: datetime) -> None:
        self.last_login_at = at

    def change_password_hash(self, new_hash: str, at: datetime) -> None:
        self.password_hash = new_hash
        self.password_changed_at = at

    def rename(self, display_name: str | None) -> None:
        self.display_name = clean_display_name(display_name)

    def change_email(self, email: str) -> None:
        self.email = normalize_email(email)

    def set_role(self, role: Role, *, admins_left: int) -> None:
        """Change the role; the last active admin cannot demote themselves away."""
        if self.is_admin and role is not Role.ADMIN and admins_left <= 1:
            raise LastAdministrator("The last administrator cannot lose the admin role.")
        self.role = role

    def disable(self, *, admins_left: int) -> None:
        if self.is_admin and self.is_active and admins_left <= 1:
            raise LastAdministrator("The last active administrator cannot be disabled.")
        self.status = UserStatus.DISABLED

    def enable(self) -> None:
        self.status = UserStatus.ACTIVE

    def require_second_factor(self, required: bool) -> None:
        self.totp_required = required
