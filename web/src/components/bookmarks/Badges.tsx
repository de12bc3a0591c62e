import type { ArchiveStatus, Bookmark } from "../../api/bookmarks";

const SNAPSHOT_LABEL: Record<ArchiveStatus, string | null> = {
  none: null,
  pending: "Archiving…",
  archived: "Snapshot saved",
  failed: "Archive failed",
};

/**
 * Unread, favorite, the reading-list "archived" flag, and (unless `snapshot` is false, for a
 * page that shows it at length) how the page snapshot stands.
 */
export function Badges({ bookmark, snapshot: withSnapshot = true }: { bookmark: Bookmark; snapshot?: boolean }) {
  const snapshot = withSnapshot ? SNAPSHOT_LABEL[bookmark.archive_status] : null;
  return (
    <>
      {bookmark.unread && <span className="badge badge-unread">Unread</span>}
      {bookmark.favorite && (
        <span className="badge badge-favorite">
          <span aria-hidden="true">★ </span>Favorite
        </span>
      )}
      {bookmark.archived && <span className="badge">Archived</span>}
      {snapshot && (
        <span
          className={`badge badge-snapshot-${bookmark.archive_status}`}
          title={bookmark.archive_status === "failed" ? (bookmark.archive_error ?? undefined) : undefined}
        >
          {snapshot}
        </span>
      )}
    </>
  );
}
