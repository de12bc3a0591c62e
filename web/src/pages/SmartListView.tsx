import { useMemo } from "react";
import { Link, useParams } from "react-router";
import { getSmartList, smartListBookmarks } from "../api/smartLists";
import { useApi } from "../auth/AuthProvider";
import { BookmarkList, type BookmarkSource } from "../components/BookmarkList";
import { ProblemMessage } from "../components/ProblemMessage";
import { useLoad } from "../hooks/useLoad";
import { sortLabel } from "./smartLists/sorts";

/** The bookmarks a smart list's query finds now. */
export default function SmartListView() {
  const { smartListId = "" } = useParams();
  const api = useApi();
  const loaded = useLoad((signal) => getSmartList(api, smartListId, signal), [api, smartListId]);
  const list = loaded.data;
  // The key names the list's version, so an edit elsewhere shows fresh results, not cached ones.
  const version = list?.updated_at ?? "";
  const source = useMemo<BookmarkSource>(
    () => ({
      key: `smart-list:${smartListId}:${version}`,
      fetchPage: (cursor, signal) => smartListBookmarks(api, smartListId, cursor, signal),
    }),
    [api, smartListId, version],
  );

  return (
    <>
      <p>
        <Link to="/smart-lists">All smart lists</Link>
      </p>
      {!list ? (
        <>
          <h1>Smart list</h1>
          {loaded.error ? <ProblemMessage error={loaded.error} /> : <p aria-busy="true">Loading…</p>}
        </>
      ) : (
        <>
          <h1>{list.name}</h1>
          <p className="muted">
            {list.query ? (
              <>
                Query: <code>{list.query}</code>
              </>
            ) : (
              "Every bookmark"
            )}{" "}
            · {sortLabel(list.sort)}
          </p>
          <BookmarkList source={source} emptyText="No bookmarks match this smart list." />
        </>
      )}
    </>
  );
}

