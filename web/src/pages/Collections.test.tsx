import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Collection } from "../api/collections";
import { FakeServer, json, noContent, renderPage } from "../test/fakeServer";
import Collections from "./Collections";

const base = { description: "", is_public: false, public_url: null, created_at: "2026-01-01T10:00:00Z", updated_at: "2026-01-01T10:00:00Z" };

function server() {
  let items: Collection[] = [
    { ...base, id: "c-1", name: "Mine", role: "owner" },
    { ...base, id: "c-2", name: "From Bob", role: "viewer" },
  ];
  const fake = new FakeServer();
  fake.on("GET /api/v1/collections", () => json({ items }));
  fake.on("POST /api/v1/collections", (call) => {
    const made: Collection = { ...base, ...(call.body as { name: string; description: string }), id: "c-3", role: "owner" };
    items = [...items, made];
    return json(made, 201);
  });
  fake.on("PATCH /api/v1/collections/c-1", (call) => {
    items = items.map((c) => (c.id === "c-1" ? { ...c, ...(call.body as object) } : c));
    return json(items[0]);
  });
  fake.on("DELETE /api/v1/collections/c-1", () => {
    items = items.filter((c) => c.id !== "c-1");
    return noContent();
  });
  return fake;
}

describe("Collections", () => {
  afterEach(() => vi.restoreAllMocks());

  it("lists own and shared collections apart, and creates one", async () => {
    const fake = server();
    const user = userEvent.setup();
    renderPage(fake, <Collections />);

    const own = await screen.findByRole("region", { name: "Your collections" });
    const shared = screen.getByRole("region", { name: "Shared with you" });
    expect(await within(own).findByRole("link", { name: "Mine" })).toHaveAttribute("href", "/collections/c-1");
    expect(within(shared).getByRole("link", { name: "From Bob" })).toBeInTheDocument();
    // Only an owner may rename or delete.
    expect(within(shared).queryByRole("button", { name: /Rename|Delete/ })).not.toBeInTheDocument();

    await user.type(screen.getAllByLabelText("Name")[0], "Reading group");
    await user.click(screen.getByRole("button", { name: /^Create/ }));
    expect(await within(own).findByRole("link", { name: "Reading group" })).toBeInTheDocument();
    expect(fake.callsTo("POST /api/v1/collections")[0].body).toEqual({ name: "Reading group", description: "" });
    expect(screen.getByText("Collection “Reading group” created.")).toBeInTheDocument();
  });

  it("renames, and deletes only after confirming", async () => {
    const fake = server();
    const confirm = vi.spyOn(window, "confirm").mockReturnValueOnce(false).mockReturnValueOnce(true);
    const user = userEvent.setup();
    renderPage(fake, <Collections />);

    await user.click(await screen.findByRole("button", { name: "Rename Mine" }));
    const field = screen.getByLabelText("New name for Mine");
    await user.clear(field);
    await user.type(field, "Mine, renamed{Enter}");
    expect(await screen.findByRole("link", { name: "Mine, renamed" })).toBeInTheDocument();
    expect(fake.callsTo("PATCH /api/v1/collections/c-1")[0].body).toEqual({ name: "Mine, renamed" });

    await user.click(screen.getByRole("button", { name: "Delete Mine, renamed" }));
    expect(fake.callsTo("DELETE /api/v1/collections/c-1")).toHaveLength(0);
    await user.click(screen.getByRole("button", { name: "Delete Mine, renamed" }));
    expect(confirm).toHaveBeenCalledTimes(2);
    await waitFor(() => expect(screen.queryByRole("link", { name: "Mine, renamed" })).not.toBeInTheDocument());
    expect(fake.callsTo("DELETE /api/v1/collections/c-1")).toHaveLength(1);
  });
});
