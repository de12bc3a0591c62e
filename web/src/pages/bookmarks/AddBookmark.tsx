import { useId, useState } from "react";
import { Link } from "react-router";
import { createBookmark, titleOf, type Bookmark } from "../../api/bookmarks";
import { useApi } from "../../auth/AuthProvider";
import { BookmarkForm } from "../../components/BookmarkForm";

/** The "Add a bookmark" section: the form, then a note linking to what was just saved. */
export function AddBookmark({ onAdded }: { onAdded: (bookmark: Bookmark) => void }) {
  const api = useApi();
  const id = useId();
  const [added, setAdded] = useState<Bookmark | null>(null);
  // A new form after each save: the fields start empty again.
  const [round, setRound] = useState(0);

  return (
    <section className="add-bookmark" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Add a bookmark</h2>
      <BookmarkForm
        key={round}
        submitLabel="Add bookmark"
        onSubmit={async (values) => {
          const bookmark = await createBookmark(api, values);
          setAdded(bookmark);
          setRound((value) => value + 1);
          onAdded(bookmark);
        }}
      />
      <p role="status" className={added ? "notice" : "visually-hidden"}>
        {added && (
          <>
            Saved <Link to={`/bookmarks/${added.id}`}>{titleOf(added)}</Link>.
            {added.archive_status === "pending" && " Its page is being archived."}
          </>
        )}
      </p>
    </section>
  );
}
