import { useEffect, useState } from "react";
import { Link } from "react-router";
import { findSaved, titleOf, type Bookmark } from "../../api/bookmarks";
import { useApi } from "../../auth/AuthProvider";

// Ask once typing pauses, not on every keystroke.
const PAUSE_MS = 500;

/** While adding: says so (with a link) when the link typed is already saved. */
export function DuplicateHint({ url }: { url: string }) {
  const api = useApi();
  const [saved, setSaved] = useState<Bookmark | null>(null);
  const typed = url.trim();

  useEffect(() => {
    setSaved(null);
    // Only something that looks like a link: anything else would just be a 422 to ignore.
    if (!/^https?:\/\/\S+$/i.test(typed)) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      findSaved(api, typed, controller.signal).then(
        (bookmark) => !controller.signal.aborted && setSaved(bookmark),
        () => undefined, // the hint is a courtesy; saving reports any real problem
      );
    }, PAUSE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [api, typed]);

  return (
    <p role="status" className={saved ? "notice" : "visually-hidden"}>
      {saved && (
        <>
          You already saved this link: <Link to={`/bookmarks/${saved.id}`}>{titleOf(saved)}</Link>
        </>
      )}
    </p>
  );
}
