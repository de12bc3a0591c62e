import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Bookmark } from "../api/bookmarks";
import { makeBookmark, redirectedTo, renderWithServer } from "../test/bookmarkKit";
import { FakeServer, json, noContent, problem } from "../test/fakeServer";
import BookmarkView from "./BookmarkView";

const ARCHIVED: Bookmark = makeBookmark(7, {
  display_title: "An archived article",
  notes: "Read the second half.",
  tags: ["dev/python", "later"],
  version: 5,
  archive_status: "archived",
  page: { title: "An archived article", description: "", site_name: "", language: "en", word_count: 120 },
});
const ID = ARCHIVED.id;
const SIGNED = `/blobs/snapshots/${ID}?expires=1&signature=abc`;
const HOSTILE_TEXT = "First paragraph.\n<script>alert('x')</script><img src=x onerror=alert(1)>\nLast paragraph.";

function archivedServer(bookmark: Bookmark = ARCHIVED) {
  const server = new FakeServer();
  server.reply(`GET /api/v1/bookmarks/${ID}`, bookmark);
  server.reply(`GET /api/v1/bookmarks/${ID}/text`, { bookmark_id: ID, text: HOSTILE_TEXT });
  server.on(`GET /api/v1/bookmarks/${ID}/snapshot`, () => redirectedTo(SIGNED, "<html>hostile</html>"));
  return server;
}

const renderView = (server: FakeServer) =>
  renderWithServer(server, <BookmarkView />, `/bookmarks/${ID}`, "/bookmarks/:bookmarkId");

describe("BookmarkView", () => {
  afterEach(() => vi.restoreAllMocks());

  it("shows the reader text as plain text, never as markup", async () => {
    const server = archivedServer();
    renderView(server);

    expect(await screen.findByRole("heading", { level: 1, name: "An archived article" })).toBeInTheDocument();
    const reader = await screen.findByTestId("reader-text");
    expect(within(reader).getByText("<script>alert('x')</script><img src=x onerror=alert(1)>")).toBeInTheDocument();
    expect(reader.querySelector("script, img")).toBeNull();
    expect(reader.querySelectorAll("p")).toHaveLength(3);
    expect(screen.getByRole("tab", { name: "Reader" })).toHaveAttribute("aria-selected", "true");
  });

  it("loads the snapshot only when its tab opens, in a frame with an empty sandbox", async () => {
    const server = archivedServer();
    const user = userEvent.setup();
    renderView(server);
    await screen.findByTestId("reader-text");
    expect(server.callsTo(`GET /api/v1/bookmarks/${ID}/snapshot`)).toHaveLength(0);
    expect(document.getElementById("snapshot")).toBeNull();

    await user.click(screen.getByRole("tab", { name: "Snapshot" }));

    const frame = await screen.findByTitle("Archived snapshot");
    expect(frame.tagName).toBe("IFRAME");
    expect(frame.id).toBe("snapshot");
    expect(frame.getAttribute("sandbox")).toBe(""); // present, and no allow-* token at all
    expect(frame.getAttribute("src")).toBe(SIGNED);
    expect(server.callsTo(`GET /api/v1/bookmarks/${ID}/snapshot`)).toHaveLength(1);
    expect(screen.getByRole("tab", { name: "Snapshot" })).toHaveAttribute("aria-selected", "true");

    // Back and forth: the frame stays, nothing is fetched again.
    await user.click(screen.getByRole("tab", { name: "Reader" }));
    await user.click(screen.getByRole("tab", { name: "Snapshot" }));
    expect(server.callsTo(`GET /api/v1/bookmarks/${ID}/snapshot`)).toHaveLength(1);
  });

  it("saves only the changed fields with the bookmark's ETag in If-Match", async () => {
    const server = archivedServer();
    server.on(`PATCH /api/v1/bookmarks/${ID}`, (call) =>
      json({ ...ARCHIVED, ...(call.body as object), display_title: "Renamed", version: 6 }),
    );
    const user = userEvent.setup();
    const rendered = renderView(server);

    await user.click(await screen.findByRole("button", { name: "Edit" }));
    expect(screen.getByLabelText("URL")).toHaveFocus();
    await user.type(screen.getByLabelText("Title"), "Renamed");
    await user.click(screen.getByRole("button", { name: "Save changes" }));

    expect(server.callsTo(`PATCH /api/v1/bookmarks/${ID}`)[0].body).toEqual({ title: "Renamed" });
    const sent = rendered.headers.find(({ route }) => route === `PATCH /api/v1/bookmarks/${ID}`);
    expect(sent?.headers.get("if-match")).toBe(`"${ID}-5"`);
    expect(await screen.findByRole("heading", { level: 1, name: "Renamed" })).toBeInTheDocument();
    expect(screen.getByText("Changes saved.")).toHaveAttribute("role", "status");
    expect(screen.getByRole("button", { name: "Edit" })).toHaveFocus();
  });

  it("explains a 412 (changed elsewhere) instead of overwriting", async () => {
    const server = archivedServer();
    server.on(`PATCH /api/v1/bookmarks/${ID}`, () => problem(412, "precondition_failed", "If-Match must carry..."));
    const user = userEvent.setup();
    renderView(server);

    await user.click(await screen.findByRole("button", { name: "Edit" }));
    await user.type(screen.getByLabelText("Notes"), " More.");
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(/changed since it was loaded/);
    expect(screen.getByRole("button", { name: "Save changes" })).toBeInTheDocument(); // the edit is kept
  });

  it("archives again (202) and follows the job until the snapshot is saved", async () => {
    const failed = { ...ARCHIVED, archive_status: "failed" as const, archive_error: "The server answered 404." };
    const server = archivedServer(failed);
    let reads = 0;
    server.on(`GET /api/v1/bookmarks/${ID}`, () => {
      reads += 1;
      return json(reads === 1 ? failed : { ...ARCHIVED, version: 7 });
    });
    server.reply(
      `POST /api/v1/bookmarks/${ID}/archive`,
      { bookmark_id: ID, status: "pending", attempts: 0, next_attempt_at: "2026-01-01T10:00:00Z", last_error: null },
      202,
    );
    const user = userEvent.setup();
    renderView(server);

    expect(await screen.findByTestId("archive-status")).toHaveTextContent("Archiving failed. The server answered 404.");
    await user.click(screen.getByRole("button", { name: "Archive again" }));
    expect(server.callsTo(`POST /api/v1/bookmarks/${ID}/archive`)).toHaveLength(1);
    expect(screen.getByTestId("archive-status")).toHaveTextContent("Archiving the page…");
    expect(screen.getByRole("button", { name: "Archive again" })).toBeDisabled();

    await waitFor(() => expect(screen.getByTestId("archive-status")).toHaveTextContent("Archived."), { timeout: 4000 });
    expect(await screen.findByTestId("reader-text")).toBeInTheDocument();
  });

  it("deletes after confirmation and goes back to the list", async () => {
    const server = archivedServer();
    server.on(`DELETE /api/v1/bookmarks/${ID}`, () => noContent());
    vi.spyOn(window, "confirm").mockReturnValue(true);
    const user = userEvent.setup();
    const rendered = renderView(server);

    await user.click(await screen.findByRole("button", { name: "Delete" }));
    expect(window.confirm).toHaveBeenCalledWith("Delete “An archived article”? This cannot be undone.");
    await waitFor(() => expect(screen.getByTestId("location")).toHaveTextContent(/^\/$/));
    const sent = rendered.headers.find(({ route }) => route === `DELETE /api/v1/bookmarks/${ID}`);
    expect(sent?.headers.get("if-match")).toBe(`"${ID}-5"`);
  });

  it("links each tag to its search", async () => {
    renderView(archivedServer());
    expect(await screen.findByRole("link", { name: "#dev/python" })).toHaveAttribute("href", "/?q=%23dev%2Fpython");
  });
});
