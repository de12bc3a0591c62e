import { useState, type FormEvent } from "react";
import { createCollection, listCollections } from "../api/collections";
import { useApi } from "../auth/AuthProvider";
import { FormActions } from "../components/FormActions";
import { ProblemMessage } from "../components/ProblemMessage";
import { useAction } from "../hooks/useAction";
import { useLoad } from "../hooks/useLoad";
import { CollectionTable } from "./collections/CollectionTable";

/** The caller's collections and those shared with them; create, rename and delete. */
export default function Collections() {
  const api = useApi();
  const collections = useLoad((signal) => listCollections(api, signal), [api]);
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const { busy, error, run } = useAction();
  const [notice, setNotice] = useState("");

  async function create(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      const made = await createCollection(api, name.trim(), description.trim());
      setName("");
      setDescription("");
      setNotice(`Collection “${made.name}” created.`);
      collections.reload();
    });
  }

  const all = collections.data ?? [];
  const own = all.filter((c) => c.role === "owner");
  const shared = all.filter((c) => c.role !== "owner");
  const changed = (message: string) => {
    setNotice(message);
    collections.reload();
  };

  return (
    <>
      <h1>Collections</h1>
      {/* The create form comes first: it is what an empty page offers. */}
      <form onSubmit={create} aria-labelledby="new-collection-title">
        <h2 id="new-collection-title">New collection</h2>
        <label>
          Name
          <input required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          Description <small>(optional)</small>
          <textarea maxLength={2000} value={description} onChange={(e) => setDescription(e.target.value)} />
        </label>
        <ProblemMessage error={error} />
        <div>
          <FormActions busy={busy} submitLabel="Create collection" busyLabel="Creating…" />
        </div>
      </form>
      <p role="status">{notice}</p>

      <ProblemMessage error={collections.error} />
      <section aria-labelledby="own-collections" aria-busy={collections.loading}>
        <h2 id="own-collections">Your collections</h2>
        {collections.data && own.length === 0 ? (
          <p className="muted">You have no collections yet.</p>
        ) : (
          <CollectionTable collections={own} caption="Your collections" onChanged={changed} />
        )}
      </section>
      <section aria-labelledby="shared-collections">
        <h2 id="shared-collections">Shared with you</h2>
        {shared.length === 0 ? (
          <p className="muted">Nobody has shared a collection with you.</p>
        ) : (
          <CollectionTable collections={shared} caption="Collections shared with you" onChanged={changed} />
        )}
      </section>
    </>
  );
}
