import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderWithServer } from "../test/bookmarkKit";
import { FakeServer, json, noContent } from "../test/fakeServer";
import Tags from "./Tags";

const TAGS = [
  { name: "dev/python", count: 12 },
  { name: "later", count: 1 },
  { name: "merge", count: 3 },
];

function tagServer() {
  const server = new FakeServer();
  server.reply("GET /api/v1/tags", { items: TAGS });
  return server;
}

const rowOf = (name: string) => screen.getByRole("row", { name: new RegExp(`#${name}`) });

describe("Tags page", () => {
  afterEach(() => vi.restoreAllMocks());

  it("lists tags with counts, each linking to its search", async () => {
    renderWithServer(tagServer(), <Tags />);
    const link = await screen.findByRole("link", { name: "#dev/python" });
    expect(link).toHaveAttribute("href", "/?q=%23dev%2Fpython");
    expect(within(rowOf("dev/python")).getByText("12")).toBeInTheDocument();
  });

  it("renames a tag (a name with a slash, and the one called merge)", async () => {
    const server = tagServer();
    server.on("PATCH /api/v1/tags/dev%2Fpython", () => json({ changed: 12 }));
    server.on("PATCH /api/v1/tags/merge", () => json({ changed: 3 }));
    const user = userEvent.setup();
    renderWithServer(server, <Tags />);

    await user.click(await screen.findByRole("button", { name: "Rename #dev/python" }));
    const input = screen.getByLabelText("New name for #dev/python");
    await user.clear(input);
    await user.type(input, "python{Enter}");
    // The name is one path segment (%2F for the slash), which the server decodes.
    expect(server.callsTo("PATCH /api/v1/tags/dev%2Fpython")[0].body).toEqual({ name: "python" });
    expect(await screen.findByText("#dev/python renamed to #python on 12 bookmarks.")).toHaveAttribute("role", "status");
    await waitFor(() => expect(server.callsTo("GET /api/v1/tags")).toHaveLength(2));

    await user.click(screen.getByRole("button", { name: "Rename #merge" }));
    await user.clear(screen.getByLabelText("New name for #merge"));
    await user.type(screen.getByLabelText("New name for #merge"), "combined{Enter}");
    expect(server.callsTo("PATCH /api/v1/tags/merge")[0].body).toEqual({ name: "combined" });
  });

  it("merges the checked tags into one", async () => {
    const server = tagServer();
    server.on("POST /api/v1/tags/merge", () => json({ changed: 13 }));
    const user = userEvent.setup();
    renderWithServer(server, <Tags />);

    await user.click(await screen.findByRole("checkbox", { name: "Select #dev/python" }));
    await user.click(screen.getByRole("checkbox", { name: "Select #later" }));
    await user.type(screen.getByLabelText("Into tag"), "#reading");
    await user.click(screen.getByRole("button", { name: "Merge" }));

    expect(server.callsTo("POST /api/v1/tags/merge")[0].body).toEqual({ sources: ["dev/python", "later"], into: "reading" });
    expect(await screen.findByText(/Merged #dev\/python, #later into #reading/)).toBeInTheDocument();
  });

  it("deletes a tag only after confirmation", async () => {
    const server = tagServer();
    server.on("DELETE /api/v1/tags/later", () => noContent());
    const confirm = vi.spyOn(window, "confirm").mockReturnValueOnce(false).mockReturnValueOnce(true);
    const user = userEvent.setup();
    renderWithServer(server, <Tags />);

    await user.click(await screen.findByRole("button", { name: "Delete #later" }));
    expect(confirm).toHaveBeenLastCalledWith("Remove the tag #later from 1 bookmark? The bookmarks are kept.");
    expect(server.callsTo("DELETE /api/v1/tags/later")).toHaveLength(0);

    await user.click(screen.getByRole("button", { name: "Delete #later" }));
    expect(await screen.findByText("Tag #later removed.")).toBeInTheDocument();
    expect(server.callsTo("DELETE /api/v1/tags/later")).toHaveLength(1);
  });
});
