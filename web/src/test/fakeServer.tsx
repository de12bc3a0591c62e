// A stand-in for the API in component tests: routes answered by handlers, every request
// recorded (method, path, query, parsed body) so a test can assert what the page sent.
import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { MemoryRouter, Route, Routes } from "react-router";
import { Api } from "../api/client";
import type { Me } from "../api/types";
import { AuthProvider } from "../auth/AuthProvider";
import { RequireAuth } from "../auth/RequireAuth";

export interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  /** Parsed JSON, or the FormData / raw body as sent. */
  body: unknown;
}

export type Handler = (call: Call) => Response | Promise<Response>;

export const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

export const noContent = () => new Response(null, { status: 204 });

export const problem = (status: number, code: string, detail: string) =>
  new Response(JSON.stringify({ type: `urn:project:problem:${code}`, title: "Error", status, detail, code }), {
    status,
    headers: { "content-type": "application/problem+json" },
  });

export const ME: Me = {
  id: "u-ann",
  email: "ann@example.com",
  display_name: "Ann",
  role: "admin",
  status: "active",
  created_at: "2026-01-01T10:00:00Z",
  last_login_at: "2026-01-02T10:00:00Z",
  totp_required: false,
  storage: { used_bytes: 5 * 1024 * 1024, quota_bytes: 1024 * 1024 * 1024 },
};

function parse(body: BodyInit | null | undefined): unknown {
  if (typeof body !== "string") return body ?? undefined;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

export class FakeServer {
  readonly calls: Call[] = [];
  private readonly routes = new Map<string, Handler>();

  constructor(me: Me = ME) {
    // What AuthProvider asks to restore the session.
    this.on("GET /api/v1/auth/browser/csrf", () => json({ csrf_token: "csrf", header_name: "X-CSRF-Token" }));
    this.on("POST /api/v1/auth/browser/refresh", () => json({ access_token: "at", expires_in: 900, session_id: "s-1" }));
    this.on("POST /api/v1/auth/browser/logout", () => noContent());
    this.on("GET /api/v1/me", () => json(me));
  }

  /** Answer "METHOD /path" (no query) with the handler. */
  on(route: string, handler: Handler): this {
    this.routes.set(route, handler);
    return this;
  }

  /** Answer with the same JSON every time. */
  reply(route: string, body: unknown, status = 200): this {
    return this.on(route, () => json(body, status));
  }

  /** The requests made to one route, in order. */
  callsTo(route: string): Call[] {
    return this.calls.filter((call) => `${call.method} ${call.path}` === route);
  }

  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(String(input), "http://localhost");
    const call: Call = {
      method: init?.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      body: parse(init?.body),
    };
    this.calls.push(call);
    const handler = this.routes.get(`${call.method} ${call.path}`);
    return handler ? handler(call) : problem(404, "not_found", `No fake for ${call.method} ${call.path}`);
  };
}

/** Renders a page signed in (through the real AuthProvider) at `path`, matched by `route`. */
export function renderPage(server: FakeServer, page: ReactElement, path = "/", route = "/") {
  return render(
    <AuthProvider api={new Api(server.fetch)}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path="/sign-in" element={<p>Sign-in page</p>} />
          <Route element={<RequireAuth />}>
            <Route path={route} element={page} />
            <Route path="*" element={<p>Another page</p>} />
          </Route>
        </Routes>
      </MemoryRouter>
    </AuthProvider>,
  );
}
