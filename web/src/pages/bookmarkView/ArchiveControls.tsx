import { requestArchive, type Bookmark } from "../../api/bookmarks";
import { useApi } from "../../auth/AuthProvider";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useAction } from "../../hooks/useAction";

const STATUS_TEXT: Record<Bookmark["archive_status"], string> = {
  none: "Not archived.",
  pending: "Archiving the page…",
  archived: "Archived.",
  failed: "Archiving failed.",
};

interface Props {
  bookmark: Bookmark;
  /** Called once the service accepted the request: the page then follows the job. */
  onRequested: () => void;
}

/** Where the snapshot stands, and "Archive again" (202: the job runs in the background). */
export function ArchiveControls({ bookmark, onRequested }: Props) {
  const api = useApi();
  const { busy, error, run } = useAction();

  const archiveAgain = () =>
    run(async () => {
      await requestArchive(api, bookmark.id);
      onRequested();
    });

  return (
    <div className="archive-controls">
      <p role="status" data-testid="archive-status">
        <strong>Snapshot: </strong>
        {STATUS_TEXT[bookmark.archive_status]}
        {bookmark.archive_status === "failed" && bookmark.archive_error ? ` ${bookmark.archive_error}` : ""}
      </p>
      <button
        type="button"
        className="secondary"
        disabled={busy || bookmark.archive_status === "pending"}
        onClick={archiveAgain}
      >
        Archive again
      </button>
      <ProblemMessage error={error} />
    </div>
  );
}
