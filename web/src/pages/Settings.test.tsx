import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ApiToken, Session, TotpStatus } from "../api/account";
import { FakeServer, json, noContent, renderPage } from "../test/fakeServer";
import Settings from "./Settings";

const SECRET = "pat_x1f1W-LuFC4jDFJUwcOMu3jhtXUSL_3V2R87SXPJpTQ";
const TOTP_SECRET = "JTI6FFSGRJC7JIG7F6OLX7KWRX5ABOY7";
const OTPAUTH = `otpauth://totp/example:ann%40example.com?secret=${TOTP_SECRET}&issuer=example`;

const token = (over: Partial<ApiToken> = {}): ApiToken => ({
  id: "t-1",
  name: "phone",
  hint: "pat_x1f1",
  scopes: ["read"],
  created_at: "2026-01-01T10:00:00Z",
  expires_at: null,
  last_used_at: null,
  revoked_at: null,
  ...over,
});

const sessions: Session[] = [
  { id: "s-1", created_at: "2026-01-01T10:00:00Z", last_used_at: "2026-01-01T11:00:00Z", user_agent: "Firefox", ip: "10.0.0.1", current: true },
  { id: "s-2", created_at: "2026-01-01T09:00:00Z", last_used_at: "2026-01-01T09:30:00Z", user_agent: "curl", ip: "10.0.0.2", current: false },
];

function server(totp: TotpStatus = { enabled: false, enrolment_started: false, required: false, recovery_codes_left: 0 }) {
  const fake = new FakeServer();
  let tokens: ApiToken[] = [];
  let status = totp;
  fake.on("GET /api/v1/tokens", () => json({ items: tokens }));
  fake.on("POST /api/v1/tokens", (call) => {
    const body = call.body as { name: string; scopes: ApiToken["scopes"] };
    tokens = [token({ name: body.name, scopes: body.scopes })];
    return json({ ...tokens[0], secret: SECRET }, 201);
  });
  fake.reply("GET /api/v1/auth/sessions", { items: sessions });
  fake.on("GET /api/v1/me/totp", () => json(status));
  fake.reply("POST /api/v1/me/totp/start", { secret: TOTP_SECRET, otpauth_uri: OTPAUTH }, 201);
  fake.on("POST /api/v1/me/totp/confirm", () => {
    status = { enabled: true, enrolment_started: false, required: false, recovery_codes_left: 2 };
    return json({ recovery_codes: ["aaaa-bbbb", "cccc-dddd"] });
  });
  fake.on("DELETE /api/v1/auth/sessions/s-2", () => noContent());
  return fake;
}

describe("Settings", () => {
  afterEach(() => vi.restoreAllMocks());

  it("shows a new API token's secret once, and it is gone after dismissing", async () => {
    const fake = server();
    const user = userEvent.setup();
    renderPage(fake, <Settings />);
    const section = await screen.findByRole("region", { name: "API tokens" });

    await user.type(within(section).getByLabelText("Token name"), "backup script");
    await user.click(within(section).getByLabelText("Add and change bookmarks"));
    await user.type(within(section).getByLabelText("Expires after (days)"), "30");
    await user.click(within(section).getByRole("button", { name: "Create token" }));

    expect(await within(section).findByDisplayValue(SECRET)).toBeInTheDocument();
    expect(fake.callsTo("POST /api/v1/tokens")[0].body).toEqual({
      name: "backup script",
      scopes: ["read", "write"],
      expires_in_days: 30,
    });
    expect(within(section).getByText(/it will not be shown again/)).toBeInTheDocument();
    // The list reloads with the new token, showing only its hint.
    expect(await within(section).findByRole("rowheader", { name: "backup script" })).toBeInTheDocument();

    await user.click(within(section).getByRole("button", { name: "Done, I have copied it" }));
    expect(within(section).queryByDisplayValue(SECRET)).not.toBeInTheDocument();
    expect(document.body.textContent).not.toContain(SECRET);
    expect(within(section).getByRole("button", { name: "Create token" })).toBeInTheDocument();
  });

  it("enrols TOTP: shows the secret, sends the code, then shows the recovery codes once", async () => {
    const fake = server();
    const user = userEvent.setup();
    renderPage(fake, <Settings />);
    const section = await screen.findByRole("region", { name: "Two-factor authentication" });

    await user.click(await within(section).findByRole("button", { name: "Set up two-factor authentication" }));
    expect(await within(section).findByDisplayValue(TOTP_SECRET)).toBeInTheDocument();
    expect(within(section).getByRole("link", { name: "open the setup link" })).toHaveAttribute("href", OTPAUTH);

    await user.type(within(section).getByLabelText("Code from your app"), "123 456");
    await user.click(within(section).getByRole("button", { name: "Confirm and turn on" }));

    await waitFor(() => expect(fake.callsTo("POST /api/v1/me/totp/confirm")).toHaveLength(1));
    expect(fake.callsTo("POST /api/v1/me/totp/confirm")[0].body).toEqual({ code: "123456" });
    expect(await within(section).findByText("aaaa-bbbb")).toBeInTheDocument();
    expect(within(section).queryByDisplayValue(TOTP_SECRET)).not.toBeInTheDocument();

    await user.click(within(section).getByRole("button", { name: "Done, I have saved them" }));
    expect(within(section).queryByText("aaaa-bbbb")).not.toBeInTheDocument();
    expect(await within(section).findByText(/2 recovery codes left/)).toBeInTheDocument();
  });

  it("marks the current session and signs out another one after confirming", async () => {
    const fake = server();
    const user = userEvent.setup();
    const confirm = vi.spyOn(window, "confirm").mockReturnValue(true);
    renderPage(fake, <Settings />);
    const section = await screen.findByRole("region", { name: "Sessions" });

    const current = await within(section).findByRole("row", { name: /Firefox/ });
    expect(current).toHaveAttribute("aria-current", "true");
    expect(within(current).getByText("This session")).toBeInTheDocument();
    expect(within(current).queryByRole("button")).not.toBeInTheDocument();

    const other = within(section).getByRole("row", { name: /curl/ });
    await user.click(within(other).getByRole("button", { name: "Sign out this session" }));
    expect(confirm).toHaveBeenCalled();
    await waitFor(() => expect(fake.callsTo("DELETE /api/v1/auth/sessions/s-2")).toHaveLength(1));
    expect(await within(section).findByText("Session signed out.")).toBeInTheDocument();
  });

  it("signs out everywhere after confirming, then goes to the sign-in page", async () => {
    const fake = server();
    fake.reply("POST /api/v1/auth/logout-all", { ended: 2 });
    const confirm = vi.spyOn(window, "confirm").mockReturnValueOnce(false).mockReturnValueOnce(true);
    const user = userEvent.setup();
    renderPage(fake, <Settings />);
    const button = await screen.findByRole("button", { name: "Sign out everywhere" });

    await user.click(button);
    expect(fake.callsTo("POST /api/v1/auth/logout-all")).toHaveLength(0);
    await user.click(button);
    expect(confirm).toHaveBeenCalledTimes(2);
    expect(await screen.findByText("Sign-in page")).toBeInTheDocument();
    expect(fake.callsTo("POST /api/v1/auth/logout-all")).toHaveLength(1);
  });

  it("shows the storage used against the quota", async () => {
    renderPage(server(), <Settings />);
    const section = await screen.findByRole("region", { name: "Storage" });
    expect(within(section).getByText("5.0 MiB of 1.0 GiB used (less than 1%).")).toBeInTheDocument();
  });
});
