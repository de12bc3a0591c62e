import { useState } from "react";
import { Link } from "react-router";
import { deleteSmartList, updateSmartList, type SmartList } from "../../api/smartLists";
import { useApi } from "../../auth/AuthProvider";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useAction } from "../../hooks/useAction";
import { SmartListForm } from "./SmartListForm";
import { sortLabel } from "./sorts";

export function SmartListRow({ list, onChanged }: { list: SmartList; onChanged: (message: string) => void }) {
  const api = useApi();
  const [editing, setEditing] = useState(false);
  const { error, run } = useAction();

  async function remove() {
    if (!window.confirm(`Delete the smart list “${list.name}”? Bookmarks are not affected.`)) return;
    await run(async () => {
      await deleteSmartList(api, list.id);
      onChanged(`Smart list “${list.name}” deleted.`);
    });
  }

  if (editing) {
    return (
      <tr>
        <td colSpan={4}>
          <h3>Edit “{list.name}”</h3>
          <SmartListForm
            idPrefix={`edit-${list.id}`}
            initial={list}
            submitLabel="Save changes"
            onCancel={() => setEditing(false)}
            onSubmit={async (fields) => {
              const saved = await updateSmartList(api, list.id, fields);
              setEditing(false);
              onChanged(`Smart list “${saved.name}” saved.`);
            }}
          />
        </td>
      </tr>
    );
  }

  return (
    <tr>
      <th scope="row">
        <Link to={`/smart-lists/${list.id}`}>{list.name}</Link>
        <ProblemMessage error={error} />
      </th>
      <td>{list.query ? <code>{list.query}</code> : <span className="muted">Every bookmark</span>}</td>
      <td>{sortLabel(list.sort)}</td>
      <td>
        <div className="toolbar row-actions">
          <button type="button" className="secondary" onClick={() => setEditing(true)}>
            Edit<span className="visually-hidden"> {list.name}</span>
          </button>
          <button type="button" className="danger" onClick={remove}>
            Delete<span className="visually-hidden"> {list.name}</span>
          </button>
        </div>
      </td>
    </tr>
  );
}
