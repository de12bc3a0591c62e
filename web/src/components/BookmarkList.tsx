// The bookmark list every page shares (search results, collections, smart lists): pages in by
// cursor as the reader scrolls and keeps only the rows on screen in the DOM, so 100k bookmarks
// scroll as smoothly as 50.
import { defaultRangeExtractor, observeElementRect, useVirtualizer, type Range } from "@tanstack/react-virtual";
import { useCallback, useEffect, useRef, useState, type JSX, type KeyboardEvent } from "react";
import type { Bookmark } from "../api/bookmarks";
import { BookmarkRow } from "./bookmarks/BookmarkRow";
import { SelectAll } from "./bookmarks/SelectAll";
import { useBookmarkPages } from "./bookmarks/useBookmarkPages";
import { ProblemMessage } from "./ProblemMessage";

export interface BookmarkPageResult {
  items: Bookmark[];
  next_cursor: string | null;
}

export interface BookmarkSource {
  /** Names what is listed; a new key starts the list over (new search, after an edit...). */
  key: string;
  fetchPage(cursor: string | null, signal: AbortSignal): Promise<BookmarkPageResult>;
}

interface Props {
  source: BookmarkSource;
  selectable?: boolean;
  onSelectionChange?: (ids: string[]) => void;
  emptyText?: string;
}

/** Fixed row height (px): rows are never measured, which keeps scrolling cheap. */
export const ROW_HEIGHT = 72;
/** Rows rendered beyond each edge of the viewport, so Tab always has a next row to reach. */
const OVERSCAN = 8;
/** Ask for the next page when the last rendered row is this close to the end of what is loaded. */
const PREFETCH_ROWS = 20;

/**
 * The scroller's size, as the virtualizer sees it. A box not laid out yet (the list's first
 * render, or jsdom in tests) measures 0 px and would get no rows at all; a window's height is
 * assumed instead, until the ResizeObserver reports the real size.
 */
const observeRect: typeof observeElementRect = (instance, report) =>
  observeElementRect(instance, (rect) =>
    report(rect.height > 0 ? rect : { width: rect.width, height: window.innerHeight || 800 }),
  );

const rowHeight = () => ROW_HEIGHT;

export function BookmarkList(props: Props): JSX.Element {
  // Keyed, so a new source drops every row, the selection and the request in flight.
  return <LoadedList key={props.source.key} {...props} />;
}

function LoadedList({ source, selectable = false, onSelectionChange, emptyText = "No bookmarks." }: Props) {
  const { items, done, loading, error, loadMore, retry } = useBookmarkPages(source);
  const scrollRef = useRef<HTMLDivElement>(null);
  const selection = useSelection(onSelectionChange);

  // The focused row stays rendered while scrolled out of view, so focus is never dropped.
  const focusedIndex = useRef<number | null>(null);
  const rangeExtractor = useCallback((range: Range) => {
    const indexes = defaultRangeExtractor(range);
    const focused = focusedIndex.current;
    if (focused === null || focused >= range.count || indexes.includes(focused)) return indexes;
    return [...indexes, focused].sort((a, b) => a - b);
  }, []);

  // The virtualizer recomputes every row's position when these functions change identity, so
  // they are stable: a new key function only when a page arrives, never per scroll step
  // (benchmarks/web_scroll.py: a step at 50k loaded cost 3.9 ms with a fresh one, 1.4 ms without).
  const getItemKey = useCallback((index: number) => items[index]?.id ?? index, [items]);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: rowHeight,
    getItemKey,
    overscan: OVERSCAN,
    rangeExtractor,
    observeElementRect: observeRect,
  });
  const rows = virtualizer.getVirtualItems();
  const lastRendered = rows.length ? rows[rows.length - 1].index : -1;

  useEffect(() => {
    if (lastRendered >= items.length - PREFETCH_ROWS) loadMore();
  }, [lastRendered, items.length, loadMore]);

  // Arrow keys move between rows' title links; Tab still walks every control in order.
  function onKeyDown(event: KeyboardEvent<HTMLUListElement>) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    const row = (event.target as HTMLElement).closest<HTMLElement>("[data-index]");
    if (!row) return;
    const next = Number(row.dataset.index) + (event.key === "ArrowDown" ? 1 : -1);
    if (next < 0 || next >= items.length) return;
    event.preventDefault();
    const linkOf = () => scrollRef.current?.querySelector<HTMLElement>(`[data-index="${next}"] .bookmark-title`);
    // The overscan almost always has the row rendered already: focus it at once (the browser
    // scrolls it into view), so fast repeated presses each move one row.
    const link = linkOf();
    if (link) return link.focus();
    virtualizer.scrollToIndex(next, { align: "auto" });
    requestAnimationFrame(() => linkOf()?.focus());
  }

  const count = items.length;
  const noun = count === 1 ? "bookmark" : "bookmarks";
  const status = error
    ? `Loading stopped after ${count} ${noun}.`
    : done
      ? count === 0
        ? emptyText
        : `All ${count} ${noun} loaded.`
      : count === 0
        ? ""
        : `${count} ${noun} loaded`;

  return (
    <div className="bookmark-list">
      {selectable && count > 0 && (
        <SelectAll loaded={items} selected={selection.ids} onChange={selection.setAll} />
      )}
      <div ref={scrollRef} className="bookmark-scroller" data-testid="bookmark-scroller">
        <ul
          role="list"
          aria-label="Bookmarks"
          aria-busy={loading}
          className="bookmark-rows"
          style={{ height: virtualizer.getTotalSize() }}
          onKeyDown={onKeyDown}
        >
          {rows.map((row) => {
            const bookmark = items[row.index];
            return (
              <li
                key={row.key}
                data-index={row.index}
                className="bookmark-item"
                aria-posinset={row.index + 1}
                aria-setsize={done ? count : -1}
                style={{ height: ROW_HEIGHT, transform: `translateY(${row.start}px)` }}
                onFocus={() => (focusedIndex.current = row.index)}
                onBlur={() => (focusedIndex.current = null)}
              >
                <BookmarkRow
                  bookmark={bookmark}
                  selectable={selectable}
                  selected={selection.ids.has(bookmark.id)}
                  onToggle={selection.toggle}
                />
              </li>
            );
          })}
        </ul>
      </div>
      {loading && (
        <p className="muted bookmark-loading" aria-hidden="true">
          Loading…
        </p>
      )}
      {error ? (
        <div className="bookmark-list-error">
          <ProblemMessage error={error} />
          <button type="button" onClick={retry}>
            Retry
          </button>
        </div>
      ) : null}
      <p role="status" className={done && count === 0 ? "bookmark-list-status" : "muted bookmark-list-status"}>
        {status}
      </p>
    </div>
  );
}

interface Selection {
  ids: ReadonlySet<string>;
  toggle: (id: string, selected: boolean) => void;
  setAll: (ids: string[]) => void;
}

/** The checked rows, reported to the page after every change (and as empty on a new source). */
function useSelection(onChange: ((ids: string[]) => void) | undefined): Selection {
  const [ids, setIds] = useState<ReadonlySet<string>>(() => new Set());
  // The latest callback, without re-reporting when a parent passes a new function each render.
  const report = useRef(onChange);
  useEffect(() => {
    report.current = onChange;
  }, [onChange]);
  useEffect(() => {
    report.current?.([...ids]);
  }, [ids]);

  const toggle = useCallback((id: string, selected: boolean) => {
    setIds((current) => {
      const next = new Set(current);
      if (selected) next.add(id);
      else next.delete(id);
      return next;
    });
  }, []);
  const setAll = useCallback((all: string[]) => setIds(new Set(all)), []);
  return { ids, toggle, setAll };
}
