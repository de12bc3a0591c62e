// One bookmark: its details, edit and delete, its archive (status, "Archive again"), and the
// archived page as reader text or sandboxed snapshot.
import { useCallback, useEffect, useRef, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { deleteBookmark, getBookmark, titleOf, updateBookmark, type Bookmark } from "../api/bookmarks";
import { ApiError } from "../api/client";
import { useApi } from "../auth/AuthProvider";
import { BookmarkForm, changedFields } from "../components/BookmarkForm";
import { ProblemMessage } from "../components/ProblemMessage";
import { useAction } from "../hooks/useAction";
import { useLoad } from "../hooks/useLoad";
import { ArchiveControls } from "./bookmarkView/ArchiveControls";
import { ContentTabs } from "./bookmarkView/ContentTabs";
import { Details } from "./bookmarkView/Details";
import { useArchivePolling } from "./bookmarkView/useArchivePolling";

const STALE = "This bookmark changed since it was loaded (in another tab or device). Reload the page and try again.";

/** A 412 (If-Match named an older version) told in words the reader can act on. */
function explained(error: unknown): unknown {
  return error instanceof ApiError && error.status === 412 ? new ApiError(412, error.code, STALE, error.problem) : error;
}

export default function BookmarkView() {
  const { bookmarkId = "" } = useParams();
  // Keyed: another bookmark starts with fresh state (no edit form or message carried over).
  return <BookmarkPage key={bookmarkId} id={bookmarkId} />;
}

function BookmarkPage({ id }: { id: string }) {
  const api = useApi();
  const loaded = useLoad((signal) => getBookmark(api, id, signal), [api, id]);
  // Edits, polls and "Archive again" replace what was loaded.
  const [latest, setLatest] = useState<Bookmark | null>(null);
  const bookmark = latest ?? loaded.data;

  if (!bookmark) {
    return (
      <>
        <p>
          <Link to="/">All bookmarks</Link>
        </p>
        <h1>Bookmark</h1>
        {loaded.error ? <ProblemMessage error={loaded.error} /> : <p aria-busy="true">Loading…</p>}
      </>
    );
  }
  return <LoadedBookmark bookmark={bookmark} onChange={setLatest} />;
}

function LoadedBookmark({ bookmark, onChange }: { bookmark: Bookmark; onChange: (bookmark: Bookmark) => void }) {
  const api = useApi();
  const navigate = useNavigate();
  // The bookmark as it was when editing began: what the form's changes are measured against.
  const [editBase, setEditBase] = useState<Bookmark | null>(null);
  const [message, setMessage] = useState("");
  const { error, run } = useAction();
  // Closing the form gives focus back to the button that opened it.
  const editButton = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(false);
  useEffect(() => {
    if (wasEditing.current && !editBase) editButton.current?.focus();
    wasEditing.current = editBase !== null;
  }, [editBase]);

  // A poll that set out before an edit answered must not bring the older version back.
  const fresh = useCallback(
    (next: Bookmark) => {
      if (next.version >= bookmark.version) onChange(next);
    },
    [bookmark.version, onChange],
  );
  useArchivePolling(api, bookmark, fresh);

  async function remove() {
    if (!window.confirm(`Delete “${titleOf(bookmark)}”? This cannot be undone.`)) return;
    await run(async () => {
      await deleteBookmark(api, bookmark).catch((caught: unknown) => {
        throw explained(caught);
      });
      navigate("/");
    });
  }

  return (
    <article className="bookmark-view">
      <p>
        <Link to="/">All bookmarks</Link>
      </p>
      <h1>{titleOf(bookmark)}</h1>
      <p role="status" className={message ? "notice" : "visually-hidden"}>
        {message}
      </p>
      <ProblemMessage error={error} />
      {editBase ? (
        <section aria-labelledby="edit-bookmark-title">
          <h2 id="edit-bookmark-title">Edit bookmark</h2>
          <BookmarkForm
            initial={editBase}
            autoFocus
            submitLabel="Save changes"
            onCancel={() => setEditBase(null)}
            onSubmit={async (values) => {
              // Only the fields the reader changed are sent, with the latest version in
              // If-Match: the archiver finishing meanwhile (it bumps the version) is no
              // conflict, and what someone else changed in other fields is left alone.
              const change = changedFields(editBase, values);
              if (Object.keys(change).length > 0) {
                try {
                  onChange(await updateBookmark(api, bookmark, change));
                } catch (caught) {
                  throw explained(caught);
                }
              }
              setEditBase(null);
              setMessage("Changes saved.");
            }}
          />
        </section>
      ) : (
        <>
          <Details bookmark={bookmark} />
          <div className="toolbar">
            <button
              ref={editButton}
              type="button"
              onClick={() => {
                setMessage("");
                setEditBase(bookmark);
              }}
            >
              Edit
            </button>
            <button type="button" className="danger" onClick={remove}>
              Delete
            </button>
          </div>
        </>
      )}
      <ArchiveControls
        bookmark={bookmark}
        onRequested={() => onChange({ ...bookmark, archive_status: "pending", archive_error: null })}
      />
      <ContentTabs bookmark={bookmark} />
    </article>
  );
}
