// The signed-in account: profile, password, sessions, personal API tokens and TOTP.
import type { Api } from "./client";
import type { Me } from "./types";

export interface Session {
  id: string;
  created_at: string;
  last_used_at: string;
  user_agent: string;
  ip: string;
  /** The session this page is signed in with. */
  current: boolean;
}

export type Scope = "read" | "write";

export interface ApiToken {
  id: string;
  name: string;
  /** The secret's first characters, so a token can be recognised without being shown. */
  hint: string;
  scopes: Scope[];
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** The answer to a token's creation: the only time the secret is ever sent. */
export interface ApiTokenCreated extends ApiToken {
  secret: string;
}

export interface NewApiToken {
  name: string;
  scopes: Scope[];
  expires_in_days?: number | null;
}

export interface TotpStatus {
  enabled: boolean;
  /** A secret was issued but not yet confirmed with a code. */
  enrolment_started: boolean;
  /** An administrator requires this account to use TOTP. */
  required: boolean;
  recovery_codes_left: number;
}

export interface TotpEnrolment {
  secret: string;
  otpauth_uri: string;
}

export interface ProfileChange {
  display_name?: string;
  email?: string;
  /** Needed to change the email address. */
  current_password?: string;
}

interface Items<T> {
  items: T[];
}

export const updateMe = (api: Api, change: ProfileChange) => api.patch<Me>("/api/v1/me", change);

export const changePassword = (api: Api, currentPassword: string, newPassword: string) =>
  api.post<void>("/api/v1/auth/password", { current_password: currentPassword, new_password: newPassword });

export const listSessions = (api: Api, signal?: AbortSignal) =>
  api.get<Items<Session>>("/api/v1/auth/sessions", undefined, signal).then((page) => page.items);

export const revokeSession = (api: Api, id: string) =>
  api.delete(`/api/v1/auth/sessions/${encodeURIComponent(id)}`);

/** Ends every session, this one included; returns how many ended. */
export const logoutEverywhere = (api: Api) =>
  api.post<{ ended: number }>("/api/v1/auth/logout-all").then((answer) => answer.ended);

export const listTokens = (api: Api, signal?: AbortSignal) =>
  api.get<Items<ApiToken>>("/api/v1/tokens", undefined, signal).then((page) => page.items);

export const createToken = (api: Api, token: NewApiToken) => api.post<ApiTokenCreated>("/api/v1/tokens", token);

export const revokeToken = (api: Api, id: string) => api.delete(`/api/v1/tokens/${encodeURIComponent(id)}`);

export const totpStatus = (api: Api, signal?: AbortSignal) => api.get<TotpStatus>("/api/v1/me/totp", undefined, signal);

export const startTotp = (api: Api) => api.post<TotpEnrolment>("/api/v1/me/totp/start");

/** Turns TOTP on; the answer holds the recovery codes, shown this once. */
export const confirmTotp = (api: Api, code: string) =>
  api.post<{ recovery_codes: string[] }>("/api/v1/me/totp/confirm", { code }).then((a) => a.recovery_codes);

export const disableTotp = (api: Api, password: string, code: string) =>
  api.post<void>("/api/v1/me/totp/disable", { password, code });

export const regenerateRecoveryCodes = (api: Api, code: string) =>
  api.post<{ recovery_codes: string[] }>("/api/v1/me/totp/recovery-codes", { code }).then((a) => a.recovery_codes);
