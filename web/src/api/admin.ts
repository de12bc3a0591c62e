// Administration: accounts, registration invites and the audit log (admins only).
import type { Api } from "./client";
import type { Role } from "./types";

export type UserStatus = "active" | "disabled";

export interface User {
  id: string;
  email: string;
  display_name: string;
  role: Role;
  status: UserStatus;
  created_at: string;
  last_login_at: string | null;
  totp_required: boolean;
}

export interface NewUser {
  email: string;
  password: string;
  role: Role;
  display_name?: string | null;
}

export interface UserChange {
  role?: Role;
  status?: UserStatus;
  totp_required?: boolean;
}

/** Offset paging, as the admin endpoints answer it. */
export interface OffsetPage<T> {
  items: T[];
  limit: number;
  offset: number;
}

export const AUDIT_ACTIONS = [
  "authn_login_success",
  "authn_login_fail",
  "authn_login_fail_disabled",
  "authn_token_reuse",
  "authn_password_change",
  "authn_password_reset_request",
  "authn_password_reset",
  "session_revoked",
  "session_revoked_all",
  "authn_token_created",
  "authn_token_revoked",
  "user_created",
  "user_updated",
  "authz_admin_role_change",
  "user_disabled",
  "user_enabled",
  "user_deleted",
  "user_invite_created",
  "authn_mfa_enrol_start",
  "authn_mfa_enabled",
  "authn_mfa_disabled",
  "authn_mfa_fail",
  "authn_mfa_recovery_code_used",
  "authn_mfa_recovery_codes_regenerated",
  "authn_mfa_reset",
  "authz_mfa_requirement_change",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEvent {
  id: string;
  occurred_at: string;
  action: AuditAction;
  actor_id: string | null;
  subject_id: string | null;
  ip: string;
  detail: Record<string, string>;
}

export interface AuditFilter {
  user_id?: string;
  action?: AuditAction | "";
}

const USERS = "/api/v1/admin/users";
const user = (id: string) => `${USERS}/${encodeURIComponent(id)}`;

export const listUsers = (api: Api, offset: number, limit: number, signal?: AbortSignal) =>
  api.get<OffsetPage<User>>(USERS, { offset, limit }, signal);

export const createUser = (api: Api, fields: NewUser) => api.post<User>(USERS, fields);

export const updateUser = (api: Api, id: string, change: UserChange) => api.patch<User>(user(id), change);

export const setUserPassword = (api: Api, id: string, newPassword: string) =>
  api.post<void>(`${user(id)}/password`, { new_password: newPassword });

export const deleteUser = (api: Api, id: string) => api.delete(user(id));

/** A single-use invite secret, returned this once; the invitee gives it to sign-up. */
export const createInvite = (api: Api, email: string | null) =>
  api.post<{ invite: string }>("/api/v1/admin/invites", email ? { email } : {}).then((a) => a.invite);

export const listAudit = (
  api: Api,
  filter: AuditFilter,
  offset: number,
  limit: number,
  signal?: AbortSignal,
) =>
  api.get<OffsetPage<AuditEvent>>(
    "/api/v1/admin/audit",
    { offset, limit, user_id: filter.user_id, action: filter.action },
    signal,
  );
