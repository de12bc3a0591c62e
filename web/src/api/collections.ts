// Collections and their sharing: members (added by email) and the public read-only link.
import type { BookmarkPage } from "./bookmarks";
import type { Api } from "./client";

export type CollectionRole = "owner" | "editor" | "viewer";
export type MemberRole = "viewer" | "editor";

export interface Collection {
  id: string;
  name: string;
  description: string;
  /** The caller's relation to it: their own, or shared with them. */
  role: CollectionRole;
  is_public: boolean;
  /** Only the owner is told the public link. */
  public_url: string | null;
  created_at: string;
  updated_at: string;
}

export interface Member {
  user_id: string;
  email: string;
  display_name: string;
  role: MemberRole;
  added_at: string;
}

export interface PublicLink {
  slug: string;
  url: string;
}

const BASE = "/api/v1/collections";
const one = (id: string) => `${BASE}/${encodeURIComponent(id)}`;

export const listCollections = (api: Api, signal?: AbortSignal) =>
  api.get<{ items: Collection[] }>(BASE, undefined, signal).then((page) => page.items);

export const getCollection = (api: Api, id: string, signal?: AbortSignal) =>
  api.get<Collection>(one(id), undefined, signal);

export const createCollection = (api: Api, name: string, description = "") =>
  api.post<Collection>(BASE, { name, description });

export const updateCollection = (api: Api, id: string, change: { name?: string; description?: string }) =>
  api.patch<Collection>(one(id), change);

export const deleteCollection = (api: Api, id: string) => api.delete(one(id));

export const collectionBookmarks = (api: Api, id: string, cursor: string | null, signal: AbortSignal) =>
  api.get<BookmarkPage>(`${one(id)}/bookmarks`, { cursor }, signal);

export const listMembers = (api: Api, id: string, signal?: AbortSignal) =>
  api.get<{ items: Member[] }>(`${one(id)}/members`, undefined, signal).then((page) => page.items);

/** Adds the account with this email, or changes its role if it is already a member. */
export const shareCollection = (api: Api, id: string, email: string, role: MemberRole) =>
  api.put<Member>(`${one(id)}/members`, { email, role });

export const removeMember = (api: Api, id: string, userId: string) =>
  api.delete(`${one(id)}/members/${encodeURIComponent(userId)}`);

/** Creates the public link, or replaces it (the old one stops working). */
export const publishCollection = (api: Api, id: string) => api.post<PublicLink>(`${one(id)}/public-link`);

export const unpublishCollection = (api: Api, id: string) => api.delete(`${one(id)}/public-link`);
