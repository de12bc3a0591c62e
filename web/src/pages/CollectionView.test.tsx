import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useEffect, useState } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Collection, Member } from "../api/collections";
import type { BookmarkSource } from "../components/BookmarkList";
import { FakeServer, json, noContent, problem, renderPage } from "../test/fakeServer";
import CollectionView from "./CollectionView";

// The real list (virtualised, selectable) is tested with its own files; this stand-in shows
// what the page's source fetches, which is this page's part.
vi.mock("../components/BookmarkList", () => ({
  BookmarkList({ source, emptyText }: { source: BookmarkSource; emptyText?: string }) {
    const [titles, setTitles] = useState<string[] | null>(null);
    useEffect(() => {
      const controller = new AbortController();
      void source.fetchPage(null, controller.signal).then((page) => setTitles(page.items.map((b) => b.display_title)));
      return () => controller.abort();
    }, [source]);
    if (!titles) return null;
    return titles.length ? (
      <ul aria-label="Bookmarks">
        {titles.map((title) => (
          <li key={title}>{title}</li>
        ))}
      </ul>
    ) : (
      <p>{emptyText}</p>
    );
  },
}));

const collection = (over: Partial<Collection> = {}): Collection => ({
  id: "c-1",
  name: "Reading group",
  description: "Papers for Thursday",
  role: "owner",
  is_public: false,
  public_url: null,
  created_at: "2026-01-01T10:00:00Z",
  updated_at: "2026-01-01T10:00:00Z",
  ...over,
});

const bob: Member = {
  user_id: "u-bob",
  email: "bob@example.com",
  display_name: "Bob",
  role: "viewer",
  added_at: "2026-01-02T10:00:00Z",
};

function server(c: Collection, members: Member[] = []) {
  const fake = new FakeServer();
  fake.reply("GET /api/v1/collections/c-1", c);
  fake.reply("GET /api/v1/collections/c-1/members", { items: members });
  fake.reply("GET /api/v1/collections/c-1/bookmarks", {
    items: [{ id: "b-1", url: "https://a.example", display_title: "A paper", tags: [] }],
    next_cursor: null,
    total: null,
  });
  return fake;
}

const renderView = (fake: FakeServer) => renderPage(fake, <CollectionView />, "/collections/c-1", "/collections/:collectionId");

describe("CollectionView", () => {
  afterEach(() => vi.restoreAllMocks());

  it("shares by email through the members endpoint and shows the new member", async () => {
    const fake = server(collection());
    fake.on("PUT /api/v1/collections/c-1/members", (call) => {
      const { email, role } = call.body as { email: string; role: Member["role"] };
      return email === bob.email ? json({ ...bob, role }) : problem(422, "invalid_input", "No active user has that email address.");
    });
    const user = userEvent.setup();
    renderView(fake);

    const share = await screen.findByRole("form", { name: "Share" });
    expect(await screen.findByText("Not shared with anyone.")).toBeInTheDocument();

    await user.type(within(share).getByLabelText("Email"), "nobody@example.com");
    await user.click(within(share).getByRole("button", { name: "Share" }));
    expect(await within(share).findByRole("alert")).toHaveTextContent("No active user has that email address.");

    await user.clear(within(share).getByLabelText("Email"));
    await user.type(within(share).getByLabelText("Email"), "bob@example.com");
    await user.selectOptions(within(share).getByLabelText("Role"), "editor");
    await user.click(within(share).getByRole("button", { name: "Share" }));

    expect(fake.callsTo("PUT /api/v1/collections/c-1/members").at(-1)?.body).toEqual({
      email: "bob@example.com",
      role: "editor",
    });
    const row = await screen.findByRole("row", { name: /bob@example.com/ });
    expect(within(row).getByLabelText("Role of bob@example.com")).toHaveValue("editor");
    expect(screen.getByText("Shared with bob@example.com as editor.")).toBeInTheDocument();
    expect(within(share).getByLabelText("Email")).toHaveValue("");
  });

  it("lists the collection's bookmarks from its own endpoint", async () => {
    const fake = server(collection());
    renderView(fake);
    expect(await screen.findByRole("heading", { level: 1, name: "Reading group" })).toBeInTheDocument();
    expect(await screen.findByText("A paper")).toBeInTheDocument();
    expect(fake.callsTo("GET /api/v1/collections/c-1/bookmarks")).toHaveLength(1);
  });

  it("removes a member after confirming", async () => {
    const fake = server(collection(), [bob]);
    fake.on("DELETE /api/v1/collections/c-1/members/u-bob", () => noContent());
    const confirm = vi.spyOn(window, "confirm").mockReturnValue(true);
    const user = userEvent.setup();
    renderView(fake);

    await user.click(await screen.findByRole("button", { name: "Remove bob@example.com" }));
    expect(confirm).toHaveBeenCalledWith(expect.stringContaining("bob@example.com"));
    await waitFor(() => expect(screen.queryByRole("row", { name: /bob@example.com/ })).not.toBeInTheDocument());
    expect(fake.callsTo("DELETE /api/v1/collections/c-1/members/u-bob")).toHaveLength(1);
  });

  it("makes a public link and shows it to copy", async () => {
    const fake = server(collection());
    const url = "https://bookmarks.example/api/v1/public/collections/abc";
    fake.reply("POST /api/v1/collections/c-1/public-link", { slug: "abc", url }, 201);
    const user = userEvent.setup();
    renderView(fake);

    await user.click(await screen.findByRole("button", { name: "Make public link" }));
    expect(await screen.findByLabelText("Public link")).toHaveValue(url);
    expect(screen.getByRole("button", { name: "Copy public link" })).toBeInTheDocument();
  });

  it("offers no sharing controls to a viewer, only leaving", async () => {
    const fake = server(collection({ role: "viewer" }), [{ ...bob, user_id: "u-ann", email: "ann@example.com" }]);
    renderView(fake);
    expect(await screen.findByRole("button", { name: "Leave collection" })).toBeInTheDocument();
    expect(screen.queryByRole("form", { name: "Share" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Make public link" })).not.toBeInTheDocument();
  });
});
