import { useState, type FormEvent } from "react";
import type { SmartListFields, Sort } from "../../api/smartLists";
import { FormActions } from "../../components/FormActions";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useAction } from "../../hooks/useAction";
import { SORTS } from "./sorts";

interface Props {
  initial?: SmartListFields;
  submitLabel: string;
  /** Tells the fields apart when an edit form and the create form are both on the page. */
  idPrefix: string;
  onSubmit: (fields: SmartListFields) => Promise<void>;
  onCancel?: () => void;
}

/** Name, query (in the search language) and sort of a smart list, for create and edit. */
export function SmartListForm({ initial, submitLabel, idPrefix, onSubmit, onCancel }: Props) {
  const [name, setName] = useState(initial?.name ?? "");
  const [query, setQuery] = useState(initial?.query ?? "");
  const [sort, setSort] = useState<Sort>(initial?.sort ?? "newest");
  const { busy, error, run } = useAction();
  const helpId = `${idPrefix}-query-help`;

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      await onSubmit({ name: name.trim(), query: query.trim(), sort });
      if (!initial) {
        setName("");
        setQuery("");
        setSort("newest");
      }
    });
  }

  return (
    <form onSubmit={submit}>
      <label>
        Name
        <input required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        Query
        <input
          maxLength={1000}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          aria-describedby={helpId}
          spellCheck={false}
        />
      </label>
      <small id={helpId}>
        Words, <code>"a phrase"</code>, <code>#tag</code>, <code>site:example.com</code>,{" "}
        <code>is:unread</code>, <code>is:favorite</code>, <code>is:archived</code>, <code>in:"collection"</code>,{" "}
        <code>before:2024-01-31</code>, <code>after:…</code>; put <code>-</code> before a term to exclude it.
      </small>
      <label>
        Sort
        <select value={sort} onChange={(e) => setSort(e.target.value as Sort)}>
          {SORTS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <ProblemMessage error={error} />
      <div className="toolbar">
        <FormActions busy={busy} submitLabel={submitLabel} onCancel={onCancel} />
      </div>
    </form>
  );
}
