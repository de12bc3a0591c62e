// Smart lists: a saved search (in the search language) run on demand.
import type { BookmarkPage, Sort } from "./bookmarks";
import type { Api } from "./client";

export type { Sort };

export interface SmartList {
  id: string;
  name: string;
  query: string;
  sort: Sort;
  created_at: string;
  updated_at: string;
}

export interface SmartListFields {
  name: string;
  query: string;
  sort: Sort;
}

const BASE = "/api/v1/smart-lists";
const one = (id: string) => `${BASE}/${encodeURIComponent(id)}`;

export const listSmartLists = (api: Api, signal?: AbortSignal) =>
  api.get<{ items: SmartList[] }>(BASE, undefined, signal).then((page) => page.items);

export const getSmartList = (api: Api, id: string, signal?: AbortSignal) =>
  api.get<SmartList>(one(id), undefined, signal);

export const createSmartList = (api: Api, fields: SmartListFields) => api.post<SmartList>(BASE, fields);

export const updateSmartList = (api: Api, id: string, fields: Partial<SmartListFields>) =>
  api.patch<SmartList>(one(id), fields);

export const deleteSmartList = (api: Api, id: string) => api.delete(one(id));

export const smartListBookmarks = (api: Api, id: string, cursor: string | null, signal: AbortSignal) =>
  api.get<BookmarkPage>(`${one(id)}/bookmarks`, { cursor }, signal);
