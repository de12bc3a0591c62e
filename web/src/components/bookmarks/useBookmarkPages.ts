import { useCallback, useEffect, useRef, useState } from "react";
import type { Bookmark } from "../../api/bookmarks";
import type { BookmarkSource } from "../BookmarkList";

export interface Pages {
  items: Bookmark[];
  /** No more pages: the last one had no `next_cursor`. */
  done: boolean;
  loading: boolean;
  error: unknown;
  /** Fetch the next page, unless one is in flight, there is none, or the last attempt failed. */
  loadMore: () => void;
  /** Clear the error and try the failed page again. */
  retry: () => void;
}

interface State {
  items: Bookmark[];
  cursor: string | null;
  done: boolean;
  loading: boolean;
  error: unknown;
}

const START: State = { items: [], cursor: null, done: false, loading: false, error: null };

/**
 * The pages of one source, appended as they arrive. Mount it under `key={source.key}` so a new
 * source starts from scratch; the request in flight is cancelled on unmount.
 */
export function useBookmarkPages(source: BookmarkSource): Pages {
  const [state, setState] = useState<State>(START);
  // The request in flight, kept outside state so two renders in a row cannot both start one.
  const inFlight = useRef<AbortController | null>(null);
  // Ids already shown: a bookmark edited between two pages could otherwise appear twice.
  const seen = useRef(new Set<string>());

  useEffect(() => () => inFlight.current?.abort(), []);

  const fetchNext = useCallback(
    (cursor: string | null) => {
      if (inFlight.current) return;
      const controller = new AbortController();
      inFlight.current = controller;
      setState((current) => ({ ...current, loading: true, error: null }));
      source.fetchPage(cursor, controller.signal).then(
        (page) => {
          if (controller.signal.aborted) return;
          inFlight.current = null;
          const fresh = page.items.filter((item) => !seen.current.has(item.id));
          fresh.forEach((item) => seen.current.add(item.id));
          setState((current) => ({
            items: fresh.length ? current.items.concat(fresh) : current.items,
            cursor: page.next_cursor,
            done: page.next_cursor === null,
            loading: false,
            error: null,
          }));
        },
        (error: unknown) => {
          if (controller.signal.aborted) return;
          inFlight.current = null;
          setState((current) => ({ ...current, loading: false, error }));
        },
      );
    },
    [source],
  );

  const { cursor, done, error } = state;
  const loadMore = useCallback(() => {
    if (!done && !error) fetchNext(cursor);
  }, [fetchNext, cursor, done, error]);
  const retry = useCallback(() => fetchNext(cursor), [fetchNext, cursor]);

  return { items: state.items, done, loading: state.loading, error, loadMore, retry };
}
