import type { Sort } from "../../api/smartLists";

export const SORTS: [Sort, string][] = [
  ["newest", "Newest first"],
  ["oldest", "Oldest first"],
  ["title", "Title"],
  ["relevance", "Best match"],
];

export const sortLabel = (sort: Sort) => SORTS.find(([value]) => value === sort)?.[1] ?? sort;
