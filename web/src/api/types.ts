// The API's shapes the app reads (see /schema for the full OpenAPI document).

export type Role = "admin" | "user";

export interface Me {
  id: string;
  email: string;
  display_name: string;
  role: Role;
  status: string;
  created_at: string;
  last_login_at: string | null;
  totp_required: boolean;
  storage: { used_bytes: number; quota_bytes: number | null };
}
