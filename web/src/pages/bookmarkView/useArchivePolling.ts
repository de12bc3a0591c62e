import { useEffect } from "react";
import { getBookmark, type Bookmark } from "../../api/bookmarks";
import type { Api } from "../../api/client";

const EVERY_MS = 2000;
// Archiving gives up on a page well within this; past it the reader can reload the page.
const MAX_POLLS = 90;

/** While the bookmark's snapshot is pending, re-reads it every few seconds until it settles. */
export function useArchivePolling(api: Api, bookmark: Bookmark, onFresh: (fresh: Bookmark) => void) {
  const pending = bookmark.archive_status === "pending";
  const id = bookmark.id;

  useEffect(() => {
    if (!pending) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let polls = 0;
    // One request at a time: the next is scheduled only when the last has answered.
    const schedule = () => {
      polls += 1;
      if (polls > MAX_POLLS) return;
      timer = setTimeout(() => {
        getBookmark(api, id, controller.signal).then(
          (fresh) => {
            if (controller.signal.aborted) return;
            onFresh(fresh);
            if (fresh.archive_status === "pending") schedule();
          },
          () => !controller.signal.aborted && schedule(),
        );
      }, EVERY_MS);
    };
    schedule();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [api, id, pending, onFresh]);
}
