import { snapshotUrl, type Bookmark } from "../../api/bookmarks";
import { useApi } from "../../auth/AuthProvider";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useLoad } from "../../hooks/useLoad";

/**
 * The archived page itself. It is hostile content: the frame gets an empty `sandbox` (no
 * scripts, no forms, no popups, an opaque origin), on top of the sandbox CSP the file is served
 * with. Its signed URL lives a couple of minutes, so it is asked for only when the frame shows.
 */
export function SnapshotFrame({ bookmark }: { bookmark: Bookmark }) {
  const api = useApi();
  const loaded = useLoad(() => snapshotUrl(api, bookmark), [api, bookmark.id]);

  if (loaded.error) {
    return (
      <>
        <ProblemMessage error={loaded.error} />
        <button type="button" className="secondary" onClick={loaded.reload}>
          Try again
        </button>
      </>
    );
  }
  if (!loaded.data) return <p aria-busy="true">Loading the snapshot…</p>;
  return (
    <iframe
      id="snapshot"
      className="snapshot-frame"
      sandbox=""
      title="Archived snapshot"
      src={loaded.data}
      referrerPolicy="no-referrer"
      height={720}
    />
  );
}
