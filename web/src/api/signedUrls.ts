// Signed file URLs for images in lists. The stable API paths (`favicon_url`, `preview_url`)
// need the bearer token, which an <img> cannot send, so each is resolved to its short-lived
// signed URL once and shared for a while: scrolling back up does not ask again.
import type { Api } from "./client";

// Signed URLs live about two minutes; hand out a cached one only while it has time to load.
const FRESH_MS = 60_000;
const MAX_ENTRIES = 500;

interface Entry {
  url: Promise<string | null>;
  at: number;
}

// Per client, so a later sign-in on the same page never sees an earlier session's URLs.
let caches = new WeakMap<Api, Map<string, Entry>>();

/** The signed URL behind an API file path; null when there is no file (404) or it failed. */
export function signedUrl(api: Api, path: string, now = Date.now()): Promise<string | null> {
  let cache = caches.get(api);
  if (!cache) {
    cache = new Map();
    caches.set(api, cache);
  }
  const cached = cache.get(path);
  if (cached && now - cached.at < FRESH_MS) return cached.url;
  const url = api.fileUrl(path).then(
    (resolved) => resolved || null,
    () => null, // a missing thumbnail is not worth an error message in a list
  );
  cache.delete(path); // re-inserted last: the Map's order is the eviction order
  cache.set(path, { url, at: now });
  if (cache.size > MAX_ENTRIES) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  return url;
}

/** For tests: forget every cached URL. */
export function clearSignedUrls(): void {
  caches = new WeakMap();
}
