import { useId, useState } from "react";
import { BULK_MAX, bulkEdit, parseTags, type BulkAction } from "../../api/bookmarks";
import { useApi } from "../../auth/AuthProvider";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useAction } from "../../hooks/useAction";

interface Props {
  ids: string[];
  /** After a change: what to announce; the page reloads the list. */
  onDone: (message: string) => void;
}

const DONE_TEXT: Partial<Record<BulkAction, string>> = {
  tag: "tagged",
  untag: "untagged",
  mark_read: "marked read",
  mark_unread: "marked unread",
  delete: "deleted",
};

/** One action on every selected bookmark: tags added or removed, read state, or deletion. */
export function BulkBar({ ids, onDone }: Props) {
  const api = useApi();
  const id = useId();
  const [tagText, setTagText] = useState("");
  const { busy, error, setError, run } = useAction();
  const count = ids.length;
  const noun = count === 1 ? "bookmark" : "bookmarks";

  async function apply(action: BulkAction) {
    const tags = parseTags(tagText);
    const tagging = action === "tag" || action === "untag";
    if (tagging && tags.length === 0) {
      setError(new Error("Type the tags to add or remove first."));
      return;
    }
    if (action === "delete" && !window.confirm(`Delete ${count} ${noun}? This cannot be undone.`)) return;
    await run(async () => {
      let changed = 0;
      // The API takes at most 500 ids a call; a bigger selection goes in several.
      for (let start = 0; start < ids.length; start += BULK_MAX) {
        const chunk = ids.slice(start, start + BULK_MAX);
        const result = await bulkEdit(api, { ids: chunk, action, ...(tagging ? { tags } : {}) });
        changed += result.changed;
      }
      setTagText("");
      onDone(`${changed} of ${count} ${noun} ${DONE_TEXT[action] ?? "changed"}.`);
    });
  }

  return (
    <section className="bulk-bar" aria-labelledby={`${id}-title`} data-testid="bulk-bar">
      <h2 id={`${id}-title`} className="bulk-title">
        {count} {noun} selected
      </h2>
      <div className="toolbar">
        <label>
          Tags to add or remove
          <input value={tagText} autoCapitalize="none" onChange={(event) => setTagText(event.target.value)} />
        </label>
        <button type="button" disabled={busy} onClick={() => apply("tag")}>
          Add tags
        </button>
        <button type="button" disabled={busy} onClick={() => apply("untag")}>
          Remove tags
        </button>
        <button type="button" className="secondary" disabled={busy} onClick={() => apply("mark_read")}>
          Mark read
        </button>
        <button type="button" className="secondary" disabled={busy} onClick={() => apply("mark_unread")}>
          Mark unread
        </button>
        <button type="button" className="danger" disabled={busy} onClick={() => apply("delete")}>
          Delete
        </button>
      </div>
      <ProblemMessage error={error} />
    </section>
  );
}
