import { useState } from "react";
import { publishCollection, unpublishCollection, type Collection } from "../../api/collections";
import { useApi } from "../../auth/AuthProvider";
import { CopyField } from "../../components/CopyField";
import { ProblemMessage } from "../../components/ProblemMessage";

/** The read-only link anyone can open; making a new one retires the old. */
export function PublicLinkPanel({ collection, onChanged }: { collection: Collection; onChanged: () => void }) {
  const api = useApi();
  const [url, setUrl] = useState<string | null>(collection.public_url);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState("");

  async function run(work: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await work();
      onChanged();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  const publish = () =>
    run(async () => {
      if (url && !window.confirm("Make a new public link? The current one will stop working.")) return;
      setUrl((await publishCollection(api, collection.id)).url);
      setNotice("Public link created.");
    });

  const unpublish = () =>
    run(async () => {
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
