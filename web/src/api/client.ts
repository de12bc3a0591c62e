// The one way the app talks to the service: the public JSON API on the same origin.
//
// Browser mode (docs/security.md): the access token lives only in this object's memory; the
// refresh token is an HttpOnly cookie the page never sees, and every call that uses it carries
// the CSRF token in a header. A reload restores the session through that cookie.

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: { source?: string; key?: string; message: string }[];
}

/** A problem+json answer (or a network failure, status 0) as an exception. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problem: Problem | null;

  constructor(status: number, code: string, message: string, problem: Problem | null = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.problem = problem;
  }
}

export type Query = Record<string, string | number | boolean | undefined | null | (string | number)[]>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Sent as is (FormData, File, text) instead of JSON. */
  rawBody?: BodyInit;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

interface AccessToken {
  access_token: string;
  expires_in: number;
  session_id: string;
}

const BROWSER_AUTH = "/api/v1/auth/browser";

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "") continue;
    if (Array.isArray(value)) value.forEach((item) => params.append(name, String(item)));
    else params.append(name, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function problemOf(response: Response): Promise<ApiError> {
  let problem: Problem | null = null;
  try {
    const type = response.headers.get("content-type") ?? "";
    if (type.includes("json")) problem = (await response.json()) as Problem;
  } catch {
    problem = null;
  }
  const message = problem?.detail || problem?.title || `${response.status} ${response.statusText}`;
  return new ApiError(response.status, problem?.code ?? "http_error", message, problem);
}

export class Api {
  private accessToken: string | null = null;
  private csrf: string | null = null;
  private csrfHeader = "X-CSRF-Token";
  private refreshing: Promise<boolean> | null = null;
  /** Called when the session ends behind the app's back (refresh refused). */
  onSignedOut: (() => void) | null = null;

  constructor(private readonly fetcher: typeof fetch = (...args) => globalThis.fetch(...args)) {}

  get signedIn(): boolean {
    return this.accessToken !== null;
  }

  private async csrfToken(renew = false): Promise<string> {
    if (this.csrf && !renew) return this.csrf;
    const response = await this.send("GET", `${BROWSER_AUTH}/csrf`, {});
    if (!response.ok) throw await problemOf(response);
    const body = (await response.json()) as { csrf_token: string; header_name: string };
    this.csrf = body.csrf_token;
    this.csrfHeader = body.header_name || this.csrfHeader;
    return this.csrf;
  }

  /** A call to the cookie-mode routes: CSRF header, one retry with a fresh token on 403. */
  private async cookieCall(path: string, body?: unknown): Promise<Response> {
    for (const renew of [false, true]) {
      const token = await this.csrfToken(renew);
      const response = await this.send("POST", `${BROWSER_AUTH}${path}`, {
        body,
        headers: { [this.csrfHeader]: token },
      });
      if (response.status !== 403 || renew) return response;
    }
    throw new Error("unreachable");
  }

  async signIn(email: string, password: string, secondFactor?: string): Promise<void> {
    const response = await this.cookieCall("/login", {
      email,
      password,
      ...(secondFactor ? { second_factor: secondFactor } : {}),
    });
    if (!response.ok) throw await problemOf(response);
    this.accessToken = ((await response.json()) as AccessToken).access_token;
  }

  /** Restore the session from the refresh cookie; false when there is none (or it ended). */
  restore(): Promise<boolean> {
    if (!this.refreshing) {
      this.refreshing = (async () => {
        try {
          const response = await this.cookieCall("/refresh");
          if (!response.ok) {
            this.accessToken = null;
            return false;
          }
          this.accessToken = ((await response.json()) as AccessToken).access_token;
          return true;
        } catch {
          return false;
        } finally {
          this.refreshing = null;
        }
      })();
    }
    return this.refreshing;
  }

  async signOut(): Promise<void> {
    try {
      await this.cookieCall("/logout");
    } finally {
      this.accessToken = null;
    }
  }

  private send(method: string, path: string, options: RequestOptions): Promise<Response> {
    const headers: Record<string, string> = { accept: "application/json", ...options.headers };
    let body: BodyInit | undefined = options.rawBody;
    if (options.body !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(options.body);
    }
    if (this.accessToken && !path.startsWith(BROWSER_AUTH)) {
      headers.authorization = `Bearer ${this.accessToken}`;
    }
    return this.fetcher(withQuery(path, options.query), {
      method,
      headers,
      body,
      signal: options.signal,
      credentials: "same-origin",
    }).catch((error: unknown) => {
      if (error instanceof DOMException && error.name === "AbortError") throw error;
      throw new ApiError(0, "network", "The service cannot be reached. Check your connection.");
    });
  }

  /** A call with the access token; on 401 the session is refreshed once and the call repeated. */
  async response(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    let response = await this.send(method, path, options);
    if (response.status === 401 && (await this.restore())) {
      response = await this.send(method, path, options);
    }
    if (response.status === 401) {
      this.accessToken = null;
      this.onSignedOut?.();
    }
    if (!response.ok && response.status !== 304) throw await problemOf(response);
    return response;
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.response(method, path, options);
    if (response.status === 204 || response.headers.get("content-length") === "0") {
      return undefined as T;
    }
    const type = response.headers.get("content-type") ?? "";
    return (type.includes("json") ? await response.json() : await response.text()) as T;
  }

  get<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
    return this.request<T>("GET", path, { query, signal });
  }

  post<T>(path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
    return this.request<T>("POST", path, { body, headers });
  }

  patch<T>(path: string, body: unknown, headers?: Record<string, string>): Promise<T> {
    return this.request<T>("PATCH", path, { body, headers });
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>("PUT", path, { body });
  }

  delete(path: string, query?: Query): Promise<void> {
    return this.request<void>("DELETE", path, { query });
  }

  /** A stored file's signed URL: the API redirects, the browser follows, the body is dropped. */
  async fileUrl(path: string): Promise<string> {
    const response = await this.response("GET", path, { headers: { accept: "*/*" } });
    await response.body?.cancel();
    return response.url;
  }
}
