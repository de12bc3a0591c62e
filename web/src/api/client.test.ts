import { describe, expect, it } from "vitest";
import { Api, ApiError } from "./client";

interface Sent {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A scripted server: each answer is taken in order by the request that matches it. */
function scripted(answers: [string, () => Response][]) {
  const sent: Sent[] = [];
  const fetcher: typeof fetch = async (input, init) => {
    const path = new URL(String(input), "http://localhost").pathname;
    const method = init?.method ?? "GET";
    sent.push({
      method,
      path,
      headers: (init?.headers ?? {}) as Record<string, string>,
      body: typeof init?.body === "string" ? JSON.parse(init.body) : undefined,
    });
    const index = answers.findIndex(([route]) => route === `${method} ${path}`);
    if (index < 0) throw new Error(`unexpected ${method} ${path}`);
    const [[, answer]] = answers.splice(index, 1);
    return answer();
  };
  return { sent, fetcher };
}

const json = (body: unknown, status = 200, type = "application/json") =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": type } });
const problem = (status: number, code: string, extra: object = {}) =>
  json({ type: "about:blank", title: "t", status, detail: `because ${code}`, code, ...extra }, status, "application/problem+json");
const csrf = () => json({ csrf_token: "c-1", header_name: "X-CSRF-Token" });
const token = (value: string) => () => json({ access_token: value, expires_in: 900, session_id: "s" });

describe("Api", () => {
  it("renews the access token through the refresh cookie once and repeats the call after a 401", async () => {
    const { sent, fetcher } = scripted([
      ["POST /api/v1/auth/browser/login", token("old")],
      ["GET /api/v1/auth/browser/csrf", csrf],
      ["GET /api/v1/me", () => problem(401, "authentication_failed")],
      ["POST /api/v1/auth/browser/refresh", token("new")],
      ["GET /api/v1/me", () => json({ id: "u" })],
    ]);
    const api = new Api(fetcher);
    await api.signIn("a@example.com", "pw");

    expect(await api.get("/api/v1/me")).toEqual({ id: "u" });
    const calls = sent.filter((call) => call.path === "/api/v1/me");
    expect(calls.map((call) => call.headers.authorization)).toEqual(["Bearer old", "Bearer new"]);
    const refresh = sent.find((call) => call.path.endsWith("/refresh"));
    expect(refresh?.headers["X-CSRF-Token"]).toBe("c-1");
    expect(refresh?.headers.authorization).toBeUndefined(); // the cookie is the credential
  });

  it("asks for a fresh CSRF token once when a cookie call is refused with 403", async () => {
    const { sent, fetcher } = scripted([
      ["GET /api/v1/auth/browser/csrf", csrf],
      ["POST /api/v1/auth/browser/login", () => problem(403, "csrf")],
      ["GET /api/v1/auth/browser/csrf", () => json({ csrf_token: "c-2", header_name: "X-CSRF-Token" })],
      ["POST /api/v1/auth/browser/login", token("t")],
    ]);
    const api = new Api(fetcher);
    await api.signIn("a@example.com", "pw", "123456");

    const logins = sent.filter((call) => call.path.endsWith("/login"));
    expect(logins.map((call) => call.headers["X-CSRF-Token"])).toEqual(["c-1", "c-2"]);
    expect(logins[1].body).toEqual({ email: "a@example.com", password: "pw", second_factor: "123456" });
    expect(api.signedIn).toBe(true);
  });

  it("reports the end of the session when the refresh is refused", async () => {
    const { fetcher } = scripted([
      ["POST /api/v1/auth/browser/login", token("old")],
      ["GET /api/v1/auth/browser/csrf", csrf],
      ["GET /api/v1/tags", () => problem(401, "authentication_failed")],
      ["POST /api/v1/auth/browser/refresh", () => problem(401, "authentication_failed")],
    ]);
    const api = new Api(fetcher);
    await api.signIn("a@example.com", "pw");
    let ended = 0;
    api.onSignedOut = () => (ended += 1);

    await expect(api.get("/api/v1/tags")).rejects.toMatchObject({ status: 401 });
    expect(ended).toBe(1);
    expect(api.signedIn).toBe(false);
  });

  it("turns a problem+json answer into an ApiError with its code and field errors", async () => {
    const errors = [{ source: "body", key: "url", message: "Not a URL." }];
    const { fetcher } = scripted([["POST /api/v1/bookmarks", () => problem(422, "validation_error", { errors })]]);
    const error = await new Api(fetcher).post("/api/v1/bookmarks", { url: "x" }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 422, code: "validation_error", message: "because validation_error" });
    expect((error as ApiError).problem?.errors).toEqual(errors);
  });

  it("says the service cannot be reached when the network fails", async () => {
    const api = new Api(() => Promise.reject(new TypeError("Failed to fetch")));
    await expect(api.get("/api/v1/me")).rejects.toMatchObject({ status: 0, code: "network" });
  });
});
