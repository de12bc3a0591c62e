import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { SmartList } from "../api/smartLists";
import { FakeServer, json, problem, renderPage } from "../test/fakeServer";
import SmartLists from "./SmartLists";

const unread: SmartList = {
  id: "s-1",
  name: "To read",
  query: "is:unread",
  sort: "newest",
  created_at: "2026-01-01T10:00:00Z",
  updated_at: "2026-01-01T10:00:00Z",
};

function server() {
  let items = [unread];
  const fake = new FakeServer();
  fake.on("GET /api/v1/smart-lists", () => json({ items }));
  fake.on("POST /api/v1/smart-lists", (call) => {
    const made = { ...unread, ...(call.body as object), id: "s-2" };
    items = [...items, made];
    return json(made, 201);
  });
  fake.on("PATCH /api/v1/smart-lists/s-1", (call) => {
    const body = call.body as Partial<SmartList>;
    if (body.name === "") return problem(422, "invalid_input", "A name is needed.");
    items = items.map((l) => (l.id === "s-1" ? { ...l, ...body, updated_at: "2026-01-02T10:00:00Z" } : l));
    return json(items[0]);
  });
  return fake;
}

describe("SmartLists", () => {
  it("creates a smart list from a name, a query and a sort", async () => {
    const fake = server();
    const user = userEvent.setup();
    renderPage(fake, <SmartLists />);
    const form = await screen.findByRole("region", { name: "New smart list" });

    await user.type(within(form).getByLabelText("Name"), "Rust reading");
    await user.type(within(form).getByLabelText("Query"), "#rust -is:archived");
    await user.selectOptions(within(form).getByLabelText("Sort"), "title");
    await user.click(within(form).getByRole("button", { name: "Create smart list" }));

    expect(await screen.findByRole("link", { name: "Rust reading" })).toHaveAttribute("href", "/smart-lists/s-2");
    expect(fake.callsTo("POST /api/v1/smart-lists")[0].body).toEqual({
      name: "Rust reading",
      query: "#rust -is:archived",
      sort: "title",
    });
  });

  it("edits a smart list's query in place", async () => {
    const fake = server();
    const user = userEvent.setup();
    renderPage(fake, <SmartLists />);

    await user.click(await screen.findByRole("button", { name: "Edit To read" }));
    const query = screen.getByDisplayValue("is:unread");
    await user.clear(query);
    await user.type(query, "is:unread #later");
    await user.click(screen.getByRole("button", { name: "Save changes" }));

    await waitFor(() => expect(screen.getByText("is:unread #later")).toBeInTheDocument());
    expect(fake.callsTo("PATCH /api/v1/smart-lists/s-1")[0].body).toEqual({
      name: "To read",
      query: "is:unread #later",
      sort: "newest",
    });
  });
});
