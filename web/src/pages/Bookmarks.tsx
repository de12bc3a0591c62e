// The home page: search (kept in the URL), the list, bulk edits of the rows checked, and adding.
import { useCallback, useMemo, useState } from "react";
import { useSearchParams } from "react-router";
import { listBookmarks, type Sort } from "../api/bookmarks";
import { useApi } from "../auth/AuthProvider";
import { BookmarkList, type BookmarkSource } from "../components/BookmarkList";
import { AddBookmark } from "./bookmarks/AddBookmark";
import { BulkBar } from "./bookmarks/BulkBar";
import { isSort, SearchForm } from "./bookmarks/SearchForm";

export default function Bookmarks() {
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const query = params.get("q") ?? "";
  const sortParam = params.get("sort");
  const sort: Sort = isSort(sortParam) ? sortParam : "newest";
  // Bumped after an add or a bulk edit: the list starts over and shows the change.
  const [round, setRound] = useState(0);
  const [selected, setSelected] = useState<string[]>([]);
  const [message, setMessage] = useState("");

  const source = useMemo<BookmarkSource>(
    () => ({
      key: `bookmarks:${sort}:${query}:${round}`,
      fetchPage: (cursor, signal) => listBookmarks(api, { q: query, sort, cursor }, signal),
    }),
    [api, query, sort, round],
  );

  // Each search is a history entry, so back and forward step through searches.
  const changeSearch = useCallback(
    (change: { q?: string; sort?: Sort }) => {
      const next = new URLSearchParams(params);
      for (const [name, value] of Object.entries(change)) {
        if (value && !(name === "sort" && value === "newest")) next.set(name, value);
        else next.delete(name);
      }
      // The same URL again would only add a duplicate history entry.
      if (next.toString() !== params.toString()) setParams(next);
      setMessage("");
    },
    [params, setParams],
  );

  const refresh = useCallback((text: string) => {
    setMessage(text);
    setRound((value) => value + 1);
  }, []);

  return (
    <div className="bookmarks-page">
      <div className="bookmarks-main">
        <h1>Bookmarks</h1>
        <SearchForm
          query={query}
          sort={sort}
          onSearch={(q) => {
            // Searching again for the same words asks for fresh results (pages archived
            // since may match now): the URL stays, so the list is started over by hand.
            if (q === query) refresh("");
            else changeSearch({ q });
          }}
          onSort={(s) => changeSearch({ sort: s })}
        />
        {query && (
          <p className="muted">
            Results for <code>{query}</code>
          </p>
        )}
        {selected.length > 0 && <BulkBar ids={selected} onDone={refresh} />}
        <p role="status" className={message ? "notice" : "visually-hidden"}>
          {message}
        </p>
        <BookmarkList
          source={source}
          selectable
          onSelectionChange={setSelected}
          emptyText={query ? "No bookmarks match this search." : "No bookmarks yet: add one with the form."}
        />
      </div>
      <aside className="bookmarks-side">
        {/* The form announces the save itself; the list only has to start over. */}
        <AddBookmark onAdded={() => refresh("")} />
      </aside>
    </div>
  );
}
