import { useState } from "react";
import { publishCollection, unpublishCollection, type Collection } from "../../api/collections";
import { useApi } from "../../auth/AuthProvider";
import { CopyField } from "../../components/CopyField";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useAction } from "../../hooks/useAction";

/** The read-only link anyone can open; making a new one retires the old. */
export function PublicLinkPanel({ collection, onChanged }: { collection: Collection; onChanged: () => void }) {
  const api = useApi();
  const [url, setUrl] = useState<string | null>(collection.public_url);
  const { busy, error, run } = useAction();
  const [notice, setNotice] = useState("");

  // The page reloads the collection after either change: its public flag changed.
  async function change(work: () => Promise<void>) {
    if (await run(work)) onChanged();
  }

  const publish = () =>
    change(async () => {
      if (url && !window.confirm("Make a new public link? The current one will stop working.")) return;
      setUrl((await publishCollection(api, collection.id)).url);
      setNotice("Public link created.");
    });

  const unpublish = () =>
    change(async () => {
      if (!window.confirm("Stop the public link? Anyone who has it loses access.")) return;
      await unpublishCollection(api, collection.id);
      setUrl(null);
      setNotice("The collection is no longer public.");
    });

  return (
    <div className="public-link">
      <h3 id="public-link-title">Public link</h3>
      {url ? (
        <CopyField label="Public link" value={url} />
      ) : (
        <p className="muted">Only you and the members above can see this collection.</p>
      )}
      <div className="toolbar">
        <button type="button" className={url ? "secondary" : undefined} disabled={busy} onClick={publish}>
          {url ? "Replace public link" : "Make public link"}
        </button>
        {url && (
          <button type="button" className="danger" disabled={busy} onClick={unpublish}>
            Stop public link
          </button>
        )}
      </div>
      <p role="status">{notice}</p>
      <ProblemMessage error={error} />
    </div>
  );
}
