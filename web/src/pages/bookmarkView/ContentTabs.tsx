import { useId, useRef, useState, type KeyboardEvent } from "react";
import type { Bookmark } from "../../api/bookmarks";
import { ReaderText } from "./ReaderText";
import { SnapshotFrame } from "./SnapshotFrame";

type Tab = "reader" | "snapshot";
const TABS: [Tab, string][] = [
  ["reader", "Reader"],
  ["snapshot", "Snapshot"],
];

const WAITING: Record<Bookmark["archive_status"], string> = {
  none: "This page has not been archived.",
  pending: "The page is being archived; this updates when it is done.",
  failed: "Archiving the page failed. Try “Archive again”.",
  archived: "",
};

/**
 * Reader text and snapshot as tabs (WAI-ARIA tabs pattern). A panel loads on first opening and
 * then stays mounted (hidden) so switching back is instant and the snapshot is not re-fetched.
 */
export function ContentTabs({ bookmark }: { bookmark: Bookmark }) {
  const id = useId();
  const [active, setActive] = useState<Tab>("reader");
  const [opened, setOpened] = useState<ReadonlySet<Tab>>(() => new Set<Tab>(["reader"]));
  const buttons = useRef<Partial<Record<Tab, HTMLButtonElement | null>>>({});
  const ready = bookmark.archive_status === "archived";

  function open(tab: Tab) {
    setActive(tab);
    setOpened((current) => (current.has(tab) ? current : new Set([...current, tab])));
  }

  // Arrow keys, Home and End move between tabs (and open them); Tab goes into the panel.
  function onKeyDown(event: KeyboardEvent) {
    const index = TABS.findIndex(([tab]) => tab === active);
    const moves: Record<string, number> = {
      ArrowRight: (index + 1) % TABS.length,
      ArrowLeft: (index - 1 + TABS.length) % TABS.length,
      Home: 0,
      End: TABS.length - 1,
    };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const [tab] = TABS[next];
    open(tab);
    buttons.current[tab]?.focus();
  }

  return (
    <section className="content-tabs" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Archived page</h2>
      <div role="tablist" aria-labelledby={`${id}-title`} onKeyDown={onKeyDown}>
        {TABS.map(([tab, label]) => (
          <button
            key={tab}
            ref={(element) => {
              buttons.current[tab] = element;
            }}
            type="button"
            role="tab"
            id={`${id}-${tab}-tab`}
            aria-controls={`${id}-${tab}-panel`}
            aria-selected={active === tab}
            tabIndex={active === tab ? 0 : -1}
            className={active === tab ? "tab active" : "tab"}
            onClick={() => open(tab)}
          >
            {label}
          </button>
        ))}
      </div>
      {TABS.map(([tab]) => (
        <div
          key={tab}
          role="tabpanel"
          id={`${id}-${tab}-panel`}
          aria-labelledby={`${id}-${tab}-tab`}
          hidden={active !== tab}
          tabIndex={0}
          className="tab-panel"
        >
          {!ready ? (
            <p className="muted">{WAITING[bookmark.archive_status]}</p>
          ) : opened.has(tab) ? (
            tab === "reader" ? (
              <ReaderText bookmark={bookmark} />
            ) : (
              <SnapshotFrame bookmark={bookmark} />
            )
          ) : null}
        </div>
      ))}
    </section>
  );
}
