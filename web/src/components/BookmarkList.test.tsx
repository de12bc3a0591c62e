import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Bookmark } from "../api/bookmarks";
import { makeBookmark, renderWithServer } from "../test/bookmarkKit";
import { FakeServer } from "../test/fakeServer";
import { BookmarkList, ROW_HEIGHT, type BookmarkPageResult, type BookmarkSource } from "./BookmarkList";

const TOTAL = 100_000;
const VIEWPORT = 600;

// jsdom lays nothing out: every box is 0 px. The scroller gets a real-looking height so the
// virtualizer has a viewport to fill; everything else stays 0.
let restoreHeight: () => void = () => {};
beforeAll(() => {
  const original = Object.getOwnPropertyDescriptor(HTMLElement.prototype, "clientHeight");
  Object.defineProperty(HTMLElement.prototype, "clientHeight", {
    configurable: true,
    get(this: HTMLElement) {
      return this.classList.contains("bookmark-scroller") ? VIEWPORT : 0;
    },
  });
  restoreHeight = () => {
    if (original) Object.defineProperty(HTMLElement.prototype, "clientHeight", original);
  };
});
afterAll(() => restoreHeight());

interface Deferred {
  cursor: string | null;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * 100k bookmarks in pages of `pageSize`, made only when asked for. Each request waits for the
 * test to resolve it, so the test sees what the list does while one is in flight.
 */
function fakeSource(key: string, pageSize: number) {
  const requests: Deferred[] = [];
  const source: BookmarkSource = {
    key,
    fetchPage: (cursor) =>
      new Promise<BookmarkPageResult>((resolve, reject) => {
        const start = cursor === null ? 0 : Number(cursor);
        const end = Math.min(start + pageSize, TOTAL);
        const items: Bookmark[] = [];
        requests.push({
          cursor,
          resolve: () => {
            for (let index = start; index < end; index += 1) items.push(makeBookmark(index));
            resolve({ items, next_cursor: end < TOTAL ? String(end) : null });
          },
          reject,
        });
      }),
  };
  return { source, requests };
}

const rowsInDom = () => within(screen.getByRole("list", { name: "Bookmarks" })).queryAllByRole("listitem");

async function answer(request: Deferred) {
  await act(async () => request.resolve());
}

function scrollTo(top: number) {
  const scroller = screen.getByTestId("bookmark-scroller");
  scroller.scrollTop = top;
  fireEvent.scroll(scroller);
}

describe("BookmarkList", () => {
  it("keeps only a window of rows in the DOM for 100k bookmarks, and pages in as the end nears", async () => {
    const { source, requests } = fakeSource("all", 25_000);
    renderWithServer(new FakeServer(), <BookmarkList source={source} />);

    await waitFor(() => expect(requests).toHaveLength(1));
    expect(requests[0].cursor).toBeNull();
    await answer(requests[0]);
    expect(await screen.findByText("25000 bookmarks loaded")).toHaveAttribute("role", "status");

    const firstWindow = rowsInDom();
    expect(firstWindow.length).toBeGreaterThan(5); // the viewport is filled...
    expect(firstWindow.length).toBeLessThan(40); // ...and no more than it plus the overscan
    expect(screen.getByRole("link", { name: "Bookmark number 0" })).toHaveAttribute(
      "href",
      `/bookmarks/${makeBookmark(0).id}`,
    );
    // Far from the end of what is loaded: no request yet.
    expect(requests).toHaveLength(1);

    // Scroll to the end of each page: exactly one request for the next, even while the
    // scroll events keep coming, until all 100k are loaded.
    for (let page = 1; page < 4; page += 1) {
      const loaded = page * 25_000;
      scrollTo(loaded * ROW_HEIGHT - VIEWPORT);
      await waitFor(() => expect(requests).toHaveLength(page + 1));
      expect(requests[page].cursor).toBe(String(loaded));
      scrollTo(loaded * ROW_HEIGHT - VIEWPORT - 5 * ROW_HEIGHT); // still near the end
      scrollTo(loaded * ROW_HEIGHT - VIEWPORT);
      expect(requests).toHaveLength(page + 1);
      await answer(requests[page]);
    }

    expect(await screen.findByText("All 100000 bookmarks loaded.")).toBeInTheDocument();
    scrollTo(TOTAL * ROW_HEIGHT - VIEWPORT);
    await waitFor(() => expect(screen.getByRole("link", { name: `Bookmark number ${TOTAL - 1}` })).toBeInTheDocument());
    const lastWindow = rowsInDom();
    expect(lastWindow.length).toBeLessThan(40);
    expect(lastWindow.at(-1)).toHaveAttribute("aria-posinset", String(TOTAL));
    expect(lastWindow.at(-1)).toHaveAttribute("aria-setsize", String(TOTAL));
    expect(screen.queryByRole("link", { name: "Bookmark number 0" })).not.toBeInTheDocument();
    expect(requests).toHaveLength(4); // the last page had no next_cursor: nothing more to ask
  });

  it("shows a failed page with a retry button that asks for the same page again", async () => {
    const { source, requests } = fakeSource("failing", 50);
    const user = userEvent.setup();
    renderWithServer(new FakeServer(), <BookmarkList source={source} />);

    await waitFor(() => expect(requests).toHaveLength(1));
    await act(async () => requests[0].reject(new Error("The service cannot be reached.")));
    expect(await screen.findByRole("alert")).toHaveTextContent("The service cannot be reached.");
    expect(requests).toHaveLength(1); // no retry loop on its own

    await user.click(screen.getByRole("button", { name: "Retry" }));
    expect(requests).toHaveLength(2);
    expect(requests[1].cursor).toBeNull();
    await answer(requests[1]);
    expect(await screen.findByText("50 bookmarks loaded")).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("starts over when the source's key changes, and reports the selection", async () => {
    const first = fakeSource("first", 50);
    const onSelectionChange = vi.fn();
    const user = userEvent.setup();
    const server = new FakeServer();
    renderWithServer(server, <Switcher first={first.source} onSelectionChange={onSelectionChange} />);
    await waitFor(() => expect(first.requests).toHaveLength(1));
    await answer(first.requests[0]);

    await user.click(await screen.findByRole("checkbox", { name: "Select Bookmark number 2" }));
    expect(onSelectionChange).toHaveBeenLastCalledWith([makeBookmark(2).id]);

    await user.click(screen.getByRole("button", { name: "Switch source" }));
    expect(screen.queryByRole("link", { name: "Bookmark number 2" })).not.toBeInTheDocument();
    expect(onSelectionChange).toHaveBeenLastCalledWith([]);
    expect(await screen.findByText("No bookmarks here.")).toBeInTheDocument();
  });
});

/** Renders the list with `first`, then (after a click) with an empty source under a new key. */
function Switcher({ first, onSelectionChange }: { first: BookmarkSource; onSelectionChange: (ids: string[]) => void }) {
  const [source, setSource] = useState<BookmarkSource>(first);
  return (
    <>
      <button
        type="button"
        onClick={() => setSource({ key: "second", fetchPage: async () => ({ items: [], next_cursor: null }) })}
      >
        Switch source
      </button>
      <BookmarkList source={source} selectable onSelectionChange={onSelectionChange} emptyText="No bookmarks here." />
    </>
  );
}
