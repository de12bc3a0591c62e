import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { makeBookmark, renderWithServer } from "../test/bookmarkKit";
import { FakeServer, json, problem } from "../test/fakeServer";
import Bookmarks from "./Bookmarks";

const LIST = "GET /api/v1/bookmarks";

/** A server whose listing answers every query with the same three bookmarks. */
function serverWithBookmarks() {
  const server = new FakeServer();
  server.reply(LIST, { items: [0, 1, 2].map((index) => makeBookmark(index)), next_cursor: null, total: null });
  return server;
}

const location = () => screen.getByTestId("location").textContent;

describe("Bookmarks page", () => {
  afterEach(() => vi.restoreAllMocks());

  it("puts the search in the URL and sends it to the API as q", async () => {
    const server = serverWithBookmarks();
    const user = userEvent.setup();
    renderWithServer(server, <Bookmarks />);
    await screen.findByRole("link", { name: "Bookmark number 0" });
    expect(server.callsTo(LIST)[0].query.get("q")).toBeNull();

    const search = screen.getByRole("searchbox", { name: "Search" });
    await user.type(search, '#dev "exact words" site:example.com{Enter}');

    expect(location()).toBe(`/?q=${encodeURIComponent('#dev "exact words" site:example.com').replace(/%20/g, "+")}`);
    await waitFor(() => expect(server.callsTo(LIST)).toHaveLength(2));
    expect(server.callsTo(LIST)[1].query.get("q")).toBe('#dev "exact words" site:example.com');
    expect(server.callsTo(LIST)[1].query.get("cursor")).toBeNull();

    // The same search again asks again (pages archived since may match now).
    await user.type(search, "{Enter}");
    await waitFor(() => expect(server.callsTo(LIST)).toHaveLength(3));
    expect(server.callsTo(LIST)[2].query.get("q")).toBe('#dev "exact words" site:example.com');

    await user.selectOptions(screen.getByRole("combobox", { name: "Sort" }), "oldest");
    expect(location()).toContain("sort=oldest");
    await waitFor(() => expect(server.callsTo(LIST)).toHaveLength(4));
    expect(server.callsTo(LIST)[3].query.get("sort")).toBe("oldest");
    expect(server.callsTo(LIST)[3].query.get("q")).toBe('#dev "exact words" site:example.com');
  });

  it("starts from the query in the URL (reload, back and forward)", async () => {
    const server = serverWithBookmarks();
    renderWithServer(server, <Bookmarks />, "/?q=is%3Aunread+zebra&sort=title");

    expect(await screen.findByRole("searchbox", { name: "Search" })).toHaveValue("is:unread zebra");
    expect(screen.getByRole("combobox", { name: "Sort" })).toHaveValue("title");
    await waitFor(() => expect(server.callsTo(LIST)).toHaveLength(1));
    expect(server.callsTo(LIST)[0].query.get("q")).toBe("is:unread zebra");
    expect(server.callsTo(LIST)[0].query.get("sort")).toBe("title");
  });

  it("adds a bookmark, then lists again; a duplicate links to the saved one", async () => {
    const server = serverWithBookmarks();
    const saved = makeBookmark(9, { display_title: "Fresh page", archive_status: "pending" });
    server.on("POST /api/v1/bookmarks", (call) =>
      (call.body as { url: string }).url === "https://dup.example/"
        ? new Response(
            JSON.stringify({
              type: "urn:project:problem:duplicate_bookmark",
              title: "Conflict",
              status: 409,
              detail: "You already saved this link.",
              code: "duplicate_bookmark",
              existing_id: "b-existing",
            }),
            { status: 409, headers: { "content-type": "application/problem+json" } },
          )
        : json(saved, 201),
    );
    const user = userEvent.setup();
    renderWithServer(server, <Bookmarks />);
    await screen.findByRole("link", { name: "Bookmark number 0" });

    await user.type(screen.getByLabelText("URL"), "https://fresh.example/");
    await user.type(screen.getByLabelText("Tags"), "new reading");
    await user.click(screen.getByRole("button", { name: "Add bookmark" }));

    expect(server.callsTo("POST /api/v1/bookmarks")[0].body).toMatchObject({
      url: "https://fresh.example/",
      tags: ["new", "reading"],
    });
    expect(await screen.findByText(/Its page is being archived/)).toHaveAttribute("role", "status");
    expect(screen.getByRole("link", { name: "Fresh page" })).toHaveAttribute("href", `/bookmarks/${saved.id}`);
    expect(screen.getByLabelText("URL")).toHaveValue(""); // a fresh form for the next one
    await waitFor(() => expect(server.callsTo(LIST)).toHaveLength(2));

    await user.type(screen.getByLabelText("URL"), "https://dup.example/");
    await user.click(screen.getByRole("button", { name: "Add bookmark" }));
    expect(await screen.findByRole("link", { name: "Open the saved bookmark" })).toHaveAttribute(
      "href",
      "/bookmarks/b-existing",
    );
    expect(screen.getByLabelText("URL")).toHaveAccessibleDescription(/You already saved this link/);
  });

  it("bulk-edits the checked rows, and deletes only after confirmation", async () => {
    const server = serverWithBookmarks();
    server.on("POST /api/v1/bookmarks/bulk", (call) =>
      json({ changed: (call.body as { ids: string[] }).ids.length, unchanged: 0, not_found: [] }),
    );
    const confirm = vi.spyOn(window, "confirm").mockReturnValueOnce(false).mockReturnValueOnce(true);
    const user = userEvent.setup();
    renderWithServer(server, <Bookmarks />);

    await user.click(await screen.findByRole("checkbox", { name: "Select Bookmark number 0" }));
    await user.click(screen.getByRole("checkbox", { name: "Select Bookmark number 2" }));
    const bar = screen.getByRole("region", { name: "2 bookmarks selected" });

    await user.type(within(bar).getByLabelText("Tags to add or remove"), "later, work");
    await user.click(within(bar).getByRole("button", { name: "Add tags" }));
    expect(server.callsTo("POST /api/v1/bookmarks/bulk")[0].body).toEqual({
      ids: [makeBookmark(0).id, makeBookmark(2).id],
      action: "tag",
      tags: ["later", "work"],
    });
    expect(await screen.findByText("2 of 2 bookmarks tagged.")).toBeInTheDocument();
    // The list started over, so the selection (and the bar) went with it.
    await waitFor(() => expect(screen.queryByRole("region", { name: /selected/ })).not.toBeInTheDocument());

    await user.click(await screen.findByRole("checkbox", { name: "Select Bookmark number 1" }));
    await user.click(screen.getByRole("button", { name: "Delete" }));
    expect(confirm).toHaveBeenCalledWith("Delete 1 bookmark? This cannot be undone.");
    expect(server.callsTo("POST /api/v1/bookmarks/bulk")).toHaveLength(1); // declined: nothing sent

    await user.click(screen.getByRole("button", { name: "Delete" }));
    expect(server.callsTo("POST /api/v1/bookmarks/bulk")[1].body).toEqual({ ids: [makeBookmark(1).id], action: "delete" });
    expect(await screen.findByText("1 of 1 bookmark deleted.")).toBeInTheDocument();
  });

  it("shows a failed listing with a way to retry", async () => {
    const server = new FakeServer();
    server.on(LIST, () => problem(500, "internal", "Something broke."));
    const user = userEvent.setup();
    renderWithServer(server, <Bookmarks />);

    expect(await screen.findByText("Something broke.")).toBeInTheDocument();
    server.reply(LIST, { items: [makeBookmark(4)], next_cursor: null, total: null });
    await user.click(screen.getByRole("button", { name: "Retry" }));
    expect(await screen.findByRole("link", { name: "Bookmark number 4" })).toBeInTheDocument();
    expect(screen.getByText("All 1 bookmark loaded.")).toBeInTheDocument();
  });
});
