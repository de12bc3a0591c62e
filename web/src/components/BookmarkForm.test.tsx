import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { ApiError, type Problem } from "../api/client";
import { makeBookmark, renderWithServer } from "../test/bookmarkKit";
import { FakeServer } from "../test/fakeServer";
import { BookmarkForm, changedFields } from "./BookmarkForm";

function problem(status: number, code: string, detail: string, extra: Partial<Problem> & Record<string, unknown> = {}) {
  const body = { type: `urn:project:problem:${code}`, title: "Error", status, detail, code, ...extra };
  return new ApiError(status, code, detail, body);
}

describe("BookmarkForm", () => {
  it("shows a 422 problem's message on the field it concerns", async () => {
    const onSubmit = vi.fn().mockRejectedValue(problem(422, "invalid_url", "Only http and https URLs can be saved."));
    const user = userEvent.setup();
    renderWithServer(new FakeServer(), <BookmarkForm submitLabel="Add bookmark" onSubmit={onSubmit} />);

    await user.type(screen.getByLabelText("URL"), "ftp://files.example");
    await user.type(screen.getByLabelText("Tags"), "dev, #python  reading");
    await user.click(screen.getByRole("button", { name: "Add bookmark" }));

    expect(onSubmit).toHaveBeenCalledWith(
      expect.objectContaining({ url: "ftp://files.example", tags: ["dev", "python", "reading"] }),
    );
    const url = screen.getByLabelText("URL");
    expect(url).toHaveAttribute("aria-invalid", "true");
    expect(url).toHaveAccessibleDescription("Only http and https URLs can be saved.");
    expect(url).toHaveFocus();
    expect(screen.getByRole("alert")).toHaveTextContent("Check the field marked below.");
    expect(screen.getByLabelText("Title")).not.toHaveAttribute("aria-invalid");
  });

  it("places each entry of a problem's field list on its field", async () => {
    const onSubmit = vi.fn().mockRejectedValue(
      problem(422, "validation_error", "The request does not match its schema.", {
        errors: [
          { source: "body", key: "title", message: "Expected `str` of length <= 512" },
          { source: "body", key: "tags[0]", message: "Expected `str` of length <= 64" },
        ],
      }),
    );
    const user = userEvent.setup();
    renderWithServer(new FakeServer(), <BookmarkForm submitLabel="Add bookmark" onSubmit={onSubmit} />);

    await user.type(screen.getByLabelText("URL"), "https://example.com");
    await user.click(screen.getByRole("button", { name: "Add bookmark" }));

    expect(await screen.findByLabelText("Title")).toHaveAccessibleDescription(
      "Optional: the page's own title is shown when this is empty. Expected `str` of length <= 512",
    );
    expect(screen.getByLabelText("Tags")).toHaveAccessibleDescription(
      "Separated by spaces or commas. Expected `str` of length <= 64",
    );
    expect(screen.getByLabelText("Title")).toHaveFocus(); // the first field in the form's order
    expect(screen.getByRole("alert")).toHaveTextContent("Check the fields marked below.");
  });

  it("says a link is saved already and links to the saved bookmark", async () => {
    const existing = "01a218d4-bea4-7487-85d6-f731635eee62";
    const onSubmit = vi
      .fn()
      .mockRejectedValue(problem(409, "duplicate_bookmark", "You already saved this link.", { existing_id: existing }));
    const user = userEvent.setup();
    renderWithServer(new FakeServer(), <BookmarkForm submitLabel="Add bookmark" onSubmit={onSubmit} />);

    await user.type(screen.getByLabelText("URL"), "https://example.com");
    await user.click(screen.getByRole("button", { name: "Add bookmark" }));

    expect(screen.getByLabelText("URL")).toHaveAccessibleDescription(/You already saved this link\./);
    expect(screen.getByRole("link", { name: "Open the saved bookmark" })).toHaveAttribute("href", `/bookmarks/${existing}`);
  });

  it("edits start from the bookmark, and only what changed is worth sending", async () => {
    const bookmark = makeBookmark(1, { title: "Mine", notes: "old", tags: ["a", "b"] });
    const onSubmit = vi.fn().mockResolvedValue(undefined);
    const user = userEvent.setup();
    renderWithServer(new FakeServer(), <BookmarkForm initial={bookmark} submitLabel="Save changes" onSubmit={onSubmit} />);

    expect(screen.getByLabelText("Tags")).toHaveValue("a b");
    await user.clear(screen.getByLabelText("Notes"));
    await user.type(screen.getByLabelText("Notes"), "new");
    await user.click(screen.getByRole("checkbox", { name: "Favorite" }));
    await user.click(screen.getByRole("button", { name: "Save changes" }));

    expect(changedFields(bookmark, onSubmit.mock.calls[0][0])).toEqual({ notes: "new", favorite: true });
  });
  it("offers the collections the user may write to, and sends the chosen one", async () => {
    const collection = (id: string, name: string, role: string) => ({
      id, name, role, description: "", is_public: false, public_url: null, created_at: "", updated_at: "",
    });
    const server = new FakeServer().reply("GET /api/v1/collections", {
      items: [collection("c-own", "Reading", "owner"), collection("c-ed", "Team", "editor"), collection("c-view", "Theirs", "viewer")],
    });
    const onSubmit = vi.fn().mockResolvedValue(undefined);
    const user = userEvent.setup();
    renderWithServer(server, <BookmarkForm submitLabel="Add bookmark" onSubmit={onSubmit} />);

    const select = screen.getByLabelText("Collection");
    await screen.findByRole("option", { name: "Team (shared with you)" });
    expect(screen.queryByRole("option", { name: /Theirs/ })).toBeNull();
    await user.type(screen.getByLabelText("URL"), "https://example.com");
    await user.selectOptions(select, "c-own");
    await user.click(screen.getByRole("button", { name: "Add bookmark" }));

    expect(onSubmit).toHaveBeenCalledWith(expect.objectContaining({ collection_id: "c-own" }));
  });
});
