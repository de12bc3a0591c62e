import { useEffect, useState, type FormEvent } from "react";
import type { Sort } from "../../api/bookmarks";
import { SearchHelp } from "./SearchHelp";

export const SORTS: [Sort, string][] = [
  ["newest", "Newest first"],
  ["oldest", "Oldest first"],
  ["title", "Title (A–Z)"],
  ["relevance", "Best match"],
];

export function isSort(value: string | null): value is Sort {
  return SORTS.some(([sort]) => sort === value);
}

interface Props {
  query: string;
  sort: Sort;
  onSearch: (query: string) => void;
  onSort: (sort: Sort) => void;
}

/** The search box and sort order; the page keeps both in the URL. */
export function SearchForm({ query, sort, onSearch, onSort }: Props) {
  const [text, setText] = useState(query);
  // Back, forward and links (a tag's "#name") change the query under the box: show it.
  useEffect(() => setText(query), [query]);

  function submit(event: FormEvent) {
    event.preventDefault();
    onSearch(text.trim());
  }

  return (
    <div className="search-area">
      <form role="search" className="inline search-form" onSubmit={submit}>
        <label className="search-field">
          <span className="visually-hidden">Search</span>
          <input
            type="search"
            name="q"
            value={text}
            maxLength={1000}
            placeholder='Search: words, "phrase", #tag, site:, is:unread…'
            onChange={(event) => setText(event.target.value)}
          />
        </label>
        <button type="submit">Search</button>
        <label>
          Sort
          <select value={sort} onChange={(event) => isSort(event.target.value) && onSort(event.target.value)}>
            {SORTS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
      </form>
      <SearchHelp />
    </div>
  );
}
