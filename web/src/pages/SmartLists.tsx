import { useState } from "react";
import { createSmartList, listSmartLists } from "../api/smartLists";
import { useApi } from "../auth/AuthProvider";
import { ProblemMessage } from "../components/ProblemMessage";
import { TableHead } from "../components/TableHead";
import { useLoad } from "../hooks/useLoad";
import { SmartListForm } from "./smartLists/SmartListForm";
import { SmartListRow } from "./smartLists/SmartListRow";

/** Saved searches: create, edit and delete them; each opens as a list of bookmarks. */
export default function SmartLists() {
  const api = useApi();
  const lists = useLoad((signal) => listSmartLists(api, signal), [api]);
  const [notice, setNotice] = useState("");
  const changed = (message: string) => {
    setNotice(message);
    lists.reload();
  };

  return (
    <>
      <h1>Smart lists</h1>
      <section aria-labelledby="new-smart-list">
        <h2 id="new-smart-list">New smart list</h2>
        <SmartListForm
          idPrefix="new"
          submitLabel="Create smart list"
          onSubmit={async (fields) => {
            const made = await createSmartList(api, fields);
            changed(`Smart list “${made.name}” created.`);
          }}
        />
      </section>
      <p role="status">{notice}</p>
      <section aria-labelledby="your-smart-lists" aria-busy={lists.loading}>
        <h2 id="your-smart-lists">Your smart lists</h2>
        <ProblemMessage error={lists.error} />
        {lists.data && lists.data.length === 0 ? (
          <p className="muted">No smart lists yet.</p>
        ) : (
          <table>
            <TableHead columns={["Name", "Query", "Sort", "Actions"]} />
            <tbody>
              {(lists.data ?? []).map((list) => (
                <SmartListRow key={`${list.id}:${list.updated_at}`} list={list} onChanged={changed} />
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
