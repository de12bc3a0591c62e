// Shared by the bookmark, bookmark view and tags tests: a bookmark factory, and rendering
// with the real Api and AuthProvider over the FakeServer, recording request headers too.
import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { MemoryRouter, Route, Routes, useLocation } from "react-router";
import type { Bookmark } from "../api/bookmarks";
import { Api } from "../api/client";
import { AuthProvider } from "../auth/AuthProvider";
import type { FakeServer } from "./fakeServer";

export function makeBookmark(index: number, overrides: Partial<Bookmark> = {}): Bookmark {
  const id = `00000000-0000-4000-8000-${String(index).padStart(12, "0")}`;
  return {
    id,
    url: `https://site${index % 7}.example/page/${index}`,
    canonical_url: `https://site${index % 7}.example/page/${index}`,
    title: "",
    description: "",
    display_title: `Bookmark number ${index}`,
    display_description: "",
    notes: "",
    tags: index % 2 ? ["odd"] : ["even"],
    collection_id: null,
    unread: index % 3 === 0,
    archived: false,
    favorite: index % 5 === 0,
    created_at: "2026-01-01T10:00:00Z",
    updated_at: "2026-01-01T10:00:00Z",
    version: 1,
    page: { title: "", description: "", site_name: "", language: "", word_count: null },
    archive_status: "none",
    archive_error: null,
    snapshot_url: null,
    preview_url: null,
    favicon_url: null,
    ...overrides,
  };
}

/** Shows the router's current location, for asserting what a page put in the URL. */
export function LocationProbe() {
  const location = useLocation();
  return <output data-testid="location">{location.pathname + location.search}</output>;
}

export interface Rendered {
  /** Each request's headers, in order, as "METHOD /path" → headers. */
  headers: { route: string; headers: Headers }[];
}

/** Renders `ui` at `path` (matched by `route`) with an Api over the fake server. */
export function renderWithServer(server: FakeServer, ui: ReactElement, path = "/", route = "*"): Rendered {
  const rendered: Rendered = { headers: [] };
  const fetcher: typeof fetch = (input, init) => {
    const url = new URL(String(input), "http://localhost");
    rendered.headers.push({ route: `${init?.method ?? "GET"} ${url.pathname}`, headers: new Headers(init?.headers) });
    return server.fetch(input, init);
  };
  render(
    <AuthProvider api={new Api(fetcher)}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path={route} element={ui} />
          <Route path="*" element={<p>Another page</p>} />
        </Routes>
        <LocationProbe />
      </MemoryRouter>
    </AuthProvider>,
  );
  return rendered;
}

/** A Response as `fetch` gives it after following a redirect: `url` is where it ended. */
export function redirectedTo(url: string, body = ""): Response {
  const response = new Response(body, { status: 200, headers: { "content-type": "text/html" } });
  Object.defineProperty(response, "url", { value: url });
  return response;
}
