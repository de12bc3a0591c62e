"""Security events, named with the OWASP logging vocabulary (REQUIREMENTS S32)."""

from __future__ import annotations

import enum
from datetime import datetime

import msgspec

from project.domain.model.ids import AuditEventId, UserId


class AuditAction(enum.StrEnum):
    LOGIN_SUCCESS = "authn_login_success"
    LOGIN_FAIL = "authn_login_fail"
    LOGIN_FAIL_DISABLED = "authn_login_fail_disabled"
    TOKEN_REUSE = "authn_token_reuse"
    PASSWORD_CHANGE = "authn_password_change"
    PASSWORD_RESET_REQUEST = "authn_password_reset_request"
    PASSWORD_RESET = "authn_password_reset"
    SESSION_REVOKED = "session_revoked"
    SESSIONS_REVOKED_ALL = "session_revoked_all"
    API_TOKEN_CREATED = "authn_token_created"
    API_TOKEN_REVOKED = "authn_token_revoked"
    USER_CREATED = "user_created"
    USER_UPDATED = "user_updated"
    USER_ROLE_CHANGED = "authz_admin_role_change"
    USER_DISABLED = "user_disabled"
    USER_ENABLED = "user_enabled"
    USER_DELETED = "user_deleted"
    INVITE_CREATED = "user_invite_created"
    MFA_ENROL_STARTED = "authn_mfa_enrol_start"
    MFA_ENABLED = "authn_mfa_enabled"
    MFA_DISABLED = "authn_mfa_disabled"
    MFA_FAIL = "authn_mfa_fail"
    MFA_RECOVERY_CODE_USED = "authn_mfa_recovery_code_used"
    MFA_RECOVERY_CODES_REGENERATED = "authn_mfa_recovery_codes_regenerated"
    MFA_RESET = "authn_mfa_reset"
    MFA_REQUIREMENT_CHANGED = "authz_mfa_requirement_change"


class AuditEvent(msgspec.Struct, frozen=True, kw_only=True):
    id: AuditEventId
    occurred_at: datetime
    action: AuditAction
    actor_id: UserId | None = None
    subject_id: UserId | None = None
    ip: str = ""
    detail: dict[str, str] = msgspec.field(default_factory=dict)
