import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { deleteCollection, updateCollection, type Collection } from "../../api/collections";
import { useApi } from "../../auth/AuthProvider";
import { FormActions } from "../../components/FormActions";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useAction } from "../../hooks/useAction";

const ROLE_LABEL: Record<Collection["role"], string> = { owner: "Owner", editor: "Editor", viewer: "Viewer" };

export function CollectionRow({ collection, onChanged }: { collection: Collection; onChanged: (message: string) => void }) {
  const api = useApi();
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(collection.name);
  const { busy, error, run } = useAction();
  const owner = collection.role === "owner";

  const act = (work: () => Promise<string>) =>
    run(async () => {
      onChanged(await work());
      setRenaming(false);
    });

  function rename(event: FormEvent) {
    event.preventDefault();
    void act(async () => {
      const renamed = await updateCollection(api, collection.id, { name: name.trim() });
      return `Renamed to “${renamed.name}”.`;
    });
  }

  function remove() {
    // The bookmarks stay; only the grouping (and everyone's access through it) goes.
    if (!window.confirm(`Delete the collection “${collection.name}”? Its bookmarks are kept.`)) return;
    void act(async () => {
      await deleteCollection(api, collection.id);
      return `Collection “${collection.name}” deleted.`;
    });
  }

  return (
    <tr>
      <th scope="row">
        {renaming ? (
          <form className="inline" onSubmit={rename}>
            <label>
              New name for {collection.name}
              <input required maxLength={100} autoFocus value={name} onChange={(e) => setName(e.target.value)} />
            </label>
            <FormActions busy={busy} submitLabel="Save" onCancel={() => setRenaming(false)} />
          </form>
        ) : (
          <Link to={`/collections/${collection.id}`}>{collection.name}</Link>
        )}
        <ProblemMessage error={error} />
      </th>
      <td>{collection.description || <span className="muted">—</span>}</td>
      <td>{ROLE_LABEL[collection.role]}</td>
      <td>{collection.is_public ? "Yes" : "No"}</td>
      <td>
        {owner && !renaming && (
          <div className="toolbar row-actions">
            <button
              type="button"
              className="secondary"
              onClick={() => {
                setName(collection.name);
                setRenaming(true);
              }}
            >
              Rename<span className="visually-hidden"> {collection.name}</span>
            </button>
            <button type="button" className="danger" disabled={busy} onClick={remove}>
              Delete<span className="visually-hidden"> {collection.name}</span>
            </button>
          </div>
        )}
      </td>
    </tr>
  );
}
