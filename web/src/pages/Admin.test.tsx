import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { AuditEvent, User } from "../api/admin";
import { FakeServer, json, ME, renderPage } from "../test/fakeServer";
import Admin from "./Admin";

const users: User[] = [
  {
    id: ME.id,
    email: ME.email,
    display_name: ME.display_name,
    role: "admin",
    status: "active",
    created_at: ME.created_at,
    last_login_at: ME.last_login_at,
    totp_required: false,
  },
  {
    id: "u-bob",
    email: "bob@example.com",
    display_name: "",
    role: "user",
    status: "active",
    created_at: "2026-01-01T10:00:00Z",
    last_login_at: null,
    totp_required: false,
  },
];

const events: AuditEvent[] = [
  {
    id: "e-1",
    occurred_at: "2026-01-03T10:00:00Z",
    action: "authn_login_success",
    actor_id: "u-bob",
    subject_id: "u-bob",
    ip: "10.0.0.7",
    detail: {},
  },
  {
    id: "e-2",
    occurred_at: "2026-01-03T09:00:00Z",
    action: "authn_token_created",
    actor_id: "u-ann",
    subject_id: "u-gone",
    ip: "10.0.0.8",
    detail: { scopes: "read" },
  },
];

function server() {
  const fake = new FakeServer();
  fake.on("GET /api/v1/admin/users", (call) => json({ items: users, limit: Number(call.query.get("limit")), offset: 0 }));
  fake.on("GET /api/v1/admin/audit", (call) => {
    const action = call.query.get("action");
    const items = action ? events.filter((e) => e.action === action) : events;
    return json({ items, limit: Number(call.query.get("limit")), offset: Number(call.query.get("offset")) });
  });
  return fake;
}

describe("Admin", () => {
  afterEach(() => vi.restoreAllMocks());

  it("renders the audit log as table rows and filters it by event", async () => {
    const fake = server();
    const user = userEvent.setup();
    renderPage(fake, <Admin />);
    const audit = await screen.findByRole("region", { name: "Audit log" });
    const table = within(audit).getByRole("table", { name: "Audit events" });

    const login = await within(table).findByRole("row", { name: /authn login success/ });
    expect(login).toHaveTextContent("10.0.0.7");
    // Accounts show as their emails, looked up from the users list.
    expect(await within(login).findAllByText("bob@example.com")).toHaveLength(2);
    const token = within(table).getByRole("row", { name: /authn token created/ });
    expect(token).toHaveTextContent("scopes: read");
    expect(within(token).getByText("ann@example.com")).toBeInTheDocument();
    expect(within(token).getByText("u-gone")).toBeInTheDocument(); // a deleted account keeps its ID
    expect(within(table).getAllByRole("columnheader").map((th) => th.textContent)).toEqual([
      "When",
      "Event",
      "By",
      "About",
      "IP address",
      "Details",
    ]);

    await user.selectOptions(within(audit).getByLabelText("Event"), "authn_token_created");
    await user.click(within(audit).getByRole("button", { name: "Filter" }));
    await waitFor(() => expect(within(table).queryByRole("row", { name: /authn login success/ })).not.toBeInTheDocument());
    const last = fake.callsTo("GET /api/v1/admin/audit").at(-1);
    expect(last?.query.get("action")).toBe("authn_token_created");
    expect(last?.query.get("offset")).toBe("0");
    expect(within(table).getByRole("row", { name: /authn token created/ })).toBeInTheDocument();
  });

  it("suspends a user after confirming, with a PATCH of the status", async () => {
    const fake = server();
    fake.on("PATCH /api/v1/admin/users/u-bob", (call) => json({ ...users[1], ...(call.body as object) }));
    const confirm = vi.spyOn(window, "confirm").mockReturnValue(true);
    const user = userEvent.setup();
    renderPage(fake, <Admin />);

    const accounts = await screen.findByRole("region", { name: "Users" });
    const row = await within(accounts).findByRole("row", { name: /bob@example.com/ });
    // No suspending or deleting yourself from this page.
    const mine = within(accounts).getByRole("row", { name: /ann@example.com/ });
    expect(within(mine).queryByRole("button", { name: /Suspend|Delete/ })).not.toBeInTheDocument();

    await user.click(within(row).getByRole("button", { name: "Suspend bob@example.com" }));
    expect(confirm).toHaveBeenCalled();
    await waitFor(() => expect(fake.callsTo("PATCH /api/v1/admin/users/u-bob")).toHaveLength(1));
    expect(fake.callsTo("PATCH /api/v1/admin/users/u-bob")[0].body).toEqual({ status: "disabled" });
    expect(await within(row).findByText("Suspended")).toBeInTheDocument();
    expect(within(row).getByRole("button", { name: "Reactivate bob@example.com" })).toBeInTheDocument();
  });

  it("shows a new invite once, as a sign-up link", async () => {
    const fake = server();
    fake.reply("POST /api/v1/admin/invites", { invite: "inv_secret" }, 201);
    const user = userEvent.setup();
    renderPage(fake, <Admin />);
    const invites = await screen.findByRole("region", { name: "Invites" });

    await user.type(within(invites).getByLabelText(/Invitee's email/), "carol@example.com");
    await user.click(within(invites).getByRole("button", { name: "Make invite" }));
    expect(await within(invites).findByLabelText("Sign-up link")).toHaveValue(`${window.location.origin}/sign-up?invite=inv_secret`);
    expect(fake.callsTo("POST /api/v1/admin/invites")[0].body).toEqual({ email: "carol@example.com" });

    await user.click(within(invites).getByRole("button", { name: "Done" }));
    expect(document.body.textContent).not.toContain("inv_secret");
    expect(within(invites).queryByDisplayValue(/inv_secret/)).not.toBeInTheDocument();
  });
});
