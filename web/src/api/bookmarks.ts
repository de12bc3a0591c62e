// Bookmarks and tags: the shapes the API answers with and one small function per call.
import { ApiError, type Api, type Problem } from "./client";

/** Where the snapshot of the bookmark's page stands (not the "archived" reading-list flag). */
export type ArchiveStatus = "none" | "pending" | "archived" | "failed";

/** What the archiver learned from the page itself. */
export interface PageInfo {
  title: string;
  description: string;
  site_name: string;
  language: string;
  word_count: number | null;
}

/** BookmarkOut. */
export interface Bookmark {
  id: string;
  url: string;
  canonical_url: string;
  title: string;
  description: string;
  /** The user's title, else the page's; may still be empty. */
  display_title: string;
  display_description: string;
  notes: string;
  tags: string[];
  collection_id: string | null;
  unread: boolean;
  archived: boolean;
  favorite: boolean;
  created_at: string;
  updated_at: string;
  /** Moves with every stored change, archiving included; the ETag is `"<id>-<version>"`. */
  version: number;
  page: PageInfo;
  archive_status: ArchiveStatus;
  archive_error: string | null;
  /** API paths that redirect (with the bearer token) to short-lived signed file URLs. */
  snapshot_url: string | null;
  preview_url: string | null;
  favicon_url: string | null;
}

export interface BookmarkPage {
  items: Bookmark[];
  next_cursor: string | null;
  total: number | null;
}

export type Sort = "newest" | "oldest" | "title" | "relevance";

/** BookmarkIn: only `url` is required. */
export interface BookmarkInput {
  url: string;
  title?: string;
  description?: string;
  notes?: string;
  tags?: string[];
  collection_id?: string | null;
  unread?: boolean;
  archived?: boolean;
  favorite?: boolean;
}

/** BookmarkPatch: only the fields sent change. */
export type BookmarkChange = Partial<BookmarkInput>;

export type BulkAction =
  | "tag"
  | "untag"
  | "mark_read"
  | "mark_unread"
  | "archive"
  | "unarchive"
  | "favorite"
  | "unfavorite"
  | "move"
  | "delete";

export interface BulkEdit {
  ids: string[];
  action: BulkAction;
  tags?: string[];
  collection_id?: string | null;
}

export interface BulkResult {
  changed: number;
  unchanged: number;
  not_found: string[];
}

export interface TagCount {
  name: string;
  count: number;
}

export interface ArchiveJob {
  bookmark_id: string;
  status: "pending" | "running" | "done" | "failed";
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
}

export interface PageText {
  bookmark_id: string;
  text: string;
}

/** The 409 of a create or URL edit: the link is saved already, as `existing_id`. */
export interface DuplicateBookmarkProblem extends Problem {
  existing_id: string;
}

/** The server allows at most 100 a page and 500 ids a bulk edit. */
export const PAGE_SIZE = 50;
export const BULK_MAX = 500;

const BASE = "/api/v1/bookmarks";
const one = (id: string) => `${BASE}/${encodeURIComponent(id)}`;
// A tag may contain "/"; the server reads the rest of the path as the name and decodes %2F.
const tag = (name: string) => `/api/v1/tags/${encodeURIComponent(name)}`;

/** The strong ETag of the copy the caller holds, for `If-Match`. */
export const etagOf = (bookmark: Pick<Bookmark, "id" | "version">) => `"${bookmark.id}-${bookmark.version}"`;

export interface ListParams {
  q?: string;
  sort?: Sort;
  cursor?: string | null;
  limit?: number;
}

export const listBookmarks = (api: Api, params: ListParams, signal?: AbortSignal) =>
  api.get<BookmarkPage>(
    BASE,
    { q: params.q?.trim(), sort: params.sort, cursor: params.cursor, limit: params.limit ?? PAGE_SIZE },
    signal,
  );

export const getBookmark = (api: Api, id: string, signal?: AbortSignal) =>
  api.get<Bookmark>(one(id), undefined, signal);

export const createBookmark = (api: Api, input: BookmarkInput) => api.post<Bookmark>(BASE, input);

/** Edits the copy the caller holds: a 412 means someone (or the archiver) changed it since. */
export const updateBookmark = (api: Api, bookmark: Bookmark, change: BookmarkChange) =>
  api.patch<Bookmark>(one(bookmark.id), change, { "if-match": etagOf(bookmark) });

export const deleteBookmark = (api: Api, bookmark: Bookmark) =>
  api.request<void>("DELETE", one(bookmark.id), { headers: { "if-match": etagOf(bookmark) } });

export const bulkEdit = (api: Api, edit: BulkEdit) => api.post<BulkResult>(`${BASE}/bulk`, edit);

/** The bookmark already saved for this link (by canonical URL), or null. */
export const findSaved = (api: Api, url: string, signal?: AbortSignal) =>
  api
    .get<{ canonical_url: string; bookmark: Bookmark | null }>(`${BASE}/check`, { url }, signal)
    .then((answer) => answer.bookmark);

export const requestArchive = (api: Api, id: string) => api.post<ArchiveJob>(`${one(id)}/archive`);

export const getPageText = (api: Api, id: string, signal?: AbortSignal) =>
  api.get<PageText>(`${one(id)}/text`, undefined, signal);

/** The snapshot's signed URL (same-origin /blobs/... or a presigned store URL). */
export const snapshotUrl = (api: Api, bookmark: Bookmark) =>
  api.fileUrl(bookmark.snapshot_url ?? `${one(bookmark.id)}/snapshot`);

export const listTags = (api: Api, signal?: AbortSignal) =>
  api.get<{ items: TagCount[] }>("/api/v1/tags", undefined, signal).then((list) => list.items);

/** Renaming onto an existing tag merges the two. */
export const renameTag = (api: Api, name: string, newName: string) =>
  api.patch<{ changed: number }>(tag(name), { name: newName });

export const mergeTags = (api: Api, sources: string[], into: string) =>
  api.post<{ changed: number }>("/api/v1/tags/merge", { sources, into });

export const deleteTag = (api: Api, name: string) => api.delete(tag(name));

/** The id of the bookmark a 409 says is already saved, if that is what `error` is. */
export function duplicateOf(error: unknown): string | null {
  if (!(error instanceof ApiError) || error.status !== 409) return null;
  const problem = error.problem as Partial<DuplicateBookmarkProblem> | null;
  return typeof problem?.existing_id === "string" ? problem.existing_id : null;
}

/** Tags as typed: separated by spaces or commas (neither may appear inside a tag). */
export function parseTags(text: string): string[] {
  const seen = new Set<string>();
  for (const part of text.split(/[\s,]+/)) {
    const name = part.replace(/^#/, "").trim();
    if (name) seen.add(name);
  }
  return [...seen];
}

/** The host a bookmark points at, without "www.", for the list and details. */
export function domainOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, "");
  } catch {
    return url;
  }
}

/** A bookmark's title as shown: the user's, the page's, else the link itself. */
export const titleOf = (bookmark: Pick<Bookmark, "display_title" | "url">) =>
  bookmark.display_title.trim() || bookmark.url;
