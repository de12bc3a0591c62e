"""The auth schema as SQLAlchemy Core tables; the migrations create exactly this."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    MetaData,
    String,
    Table,
    Uuid,
    false,
)
from sqlalchemy.dialects.postgresql import JSONB

from project.adapters.sql._types import UtcDateTime
from project.domain.model.tokens import MAX_TOKEN_NAME_LENGTH
from project.domain.model.users import MAX_DISPLAY_NAME_LENGTH, MAX_EMAIL_LENGTH

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

HASH_LENGTH = 64  # hex SHA-256 of a secret
IP_LENGTH = 64
USER_AGENT_LENGTH = 512
PASSWORD_HASH_LENGTH = 255
REASON_LENGTH = 64
HINT_LENGTH = 32
SCOPES_LENGTH = 64
ACTION_LENGTH = 64
SEALED_SECRET_LENGTH = 255

metadata = MetaData(naming_convention=NAMING_CONVENTION)

users = Table(
    "users",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("email", String(MAX_EMAIL_LENGTH), nullable=False, index=True, unique=True),
    Column("display_name", String(MAX_DISPLAY_NAME_LENGTH), nullable=False),
    Column("role", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("password_hash", String(PASSWORD_HASH_LENGTH), nullable=False),
    Column("created_at", UtcDateTime, nullable=False, index=True),
    Column("last_login_at", UtcDateTime, nullable=True),
    Column("password_changed_at", UtcDateTime, nullable=True),
    Column("totp_required", Boolean, nullable=False, server_default=false()),
    CheckConstraint("role IN ('admin', 'user')", name="role"),
    CheckConstraint("status IN ('active', 'disabled')", name="status"),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column(
        "user_id",
        Uuid,
        ForeignKey("users.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_used_at", UtcDateTime, nullable=False),
    Column("user_agent", String(USER_AGENT_LENGTH), nullable=False),
    Column("ip", String(IP_LENGTH), nullable=False),
    Column("revoked_at", UtcDateTime, nullable=True),
    Column("revoke_reason", String(REASON_LENGTH), nullable=True),
)

refresh_tokens = Table(
    "refresh_tokens",
    metadata,
    Column("token_hash", String(HASH_LENGTH), primary_key=True),
    Column(
        "session_id",
        Uuid,
        ForeignKey("sessions.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("created_at", UtcDateTime, nullable=False),
    Column("rotated_at", UtcDateTime, nullable=True),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column(
        "user_id",
        Uuid,
        ForeignKey("users.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("name", String(MAX_TOKEN_NAME_LENGTH), nullable=False),
    Column("token_hash", String(HASH_LENGTH), nullable=False, index=True, unique=True),
    Column("hint", String(HINT_LENGTH), nullable=False),
    Column("scopes", String(SCOPES_LENGTH), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=True),
    Column("last_used_at", UtcDateTime, nullable=True),
    Column("revoked_at", UtcDateTime, nullable=True),
)

password_reset_tokens = Table(
    "password_reset_tokens",
    metadata,
    Column("token_hash", String(HASH_LENGTH), primary_key=True),
    Column(
        "user_id",
        Uuid,
        ForeignKey("users.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("used_at", UtcDateTime, nullable=True),
)

invites = Table(
    "invites",
    metadata,
    Column("token_hash", String(HASH_LENGTH), primary_key=True),
    Column(
        "created_by",
        Uuid,
        ForeignKey("users.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("email", String(MAX_EMAIL_LENGTH), nullable=True),
    Column("used_at", UtcDateTime, nullable=True),
)

# The second factor (S7): one TOTP authenticator per user, its secret sealed (AES-GCM).
second_factors = Table(
    "second_factors",
    metadata,
    Column("user_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("sealed_secret", String(SEALED_SECRET_LENGTH), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("confirmed_at", UtcDateTime, nullable=True),
    Column("last_used_step", BigInteger, nullable=True),
)

recovery_codes = Table(
    "recovery_codes",
    metadata,
    Column("user_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("code_hash", String(HASH_LENGTH), primary_key=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("used_at", UtcDateTime, nullable=True),
)

# No foreign keys: the audit trail outlives the accounts it mentions.
audit_events = Table(
    "audit_events",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("occurred_at", UtcDateTime, nullable=False, index=True),
    Column("action", String(ACTION_LENGTH), nullable=False),
    Column("actor_id", Uuid, nullable=True),
    Column("subject_id", Uuid, nullable=True),
    Column("ip", String(IP_LENGTH), nullable=False),
    Column("detail", JSON().with_variant(JSONB(), "postgresql"), nullable=False),
    Index(None, "subject_id", "occurred_at"),
)
