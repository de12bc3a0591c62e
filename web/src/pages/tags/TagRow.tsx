import { useId, useState, type FormEvent } from "react";
import { Link } from "react-router";
import { deleteTag, renameTag, type TagCount } from "../../api/bookmarks";
import { useApi } from "../../auth/AuthProvider";
import { FormActions } from "../../components/FormActions";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useAction } from "../../hooks/useAction";

interface Props {
  tag: TagCount;
  selected: boolean;
  onSelect: (name: string, selected: boolean) => void;
  /** After a change: what to announce; the page reloads the tags. */
  onChanged: (message: string) => void;
}

/** The search that lists a tag's bookmarks: `#name` in the home page's query. */
export const tagSearch = (name: string) => `/?q=${encodeURIComponent(`#${name}`)}`;

export function TagRow({ tag, selected, onSelect, onChanged }: Props) {
  const api = useApi();
  const hintId = useId();
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(tag.name);
  const { busy, error, run } = useAction();
  const noun = tag.count === 1 ? "bookmark" : "bookmarks";

  const act = (work: () => Promise<string>) =>
    run(async () => {
      const message = await work();
      setRenaming(false);
      onChanged(message);
    });

  function rename(event: FormEvent) {
    event.preventDefault();
    const next = name.trim().replace(/^#/, "");
    if (!next || next === tag.name) {
      setRenaming(false);
      return;
    }
    void act(async () => {
      const { changed } = await renameTag(api, tag.name, next);
      return `#${tag.name} renamed to #${next} on ${changed} ${changed === 1 ? "bookmark" : "bookmarks"}.`;
    });
  }

  function remove() {
    // Only the tag goes: the bookmarks that carried it stay.
    if (!window.confirm(`Remove the tag #${tag.name} from ${tag.count} ${noun}? The bookmarks are kept.`)) return;
    void act(async () => {
      await deleteTag(api, tag.name);
      return `Tag #${tag.name} removed.`;
    });
  }

  return (
    <tr>
      <td>
        <input
          type="checkbox"
          aria-label={`Select #${tag.name}`}
          checked={selected}
          onChange={(event) => onSelect(tag.name, event.target.checked)}
        />
      </td>
      <th scope="row">
        {renaming ? (
          <form className="inline" onSubmit={rename}>
            <label>
              New name for #{tag.name}
              <input
                required
                maxLength={64}
                autoFocus
                autoCapitalize="none"
                value={name}
                aria-describedby={hintId}
                onChange={(event) => setName(event.target.value)}
              />
            </label>
            <FormActions busy={busy} submitLabel="Rename" onCancel={() => setRenaming(false)} />
            <small id={hintId}>An existing tag's name merges the two.</small>
          </form>
        ) : (
          <Link to={tagSearch(tag.name)}>#{tag.name}</Link>
        )}
        <ProblemMessage error={error} />
      </th>
      <td>{tag.count}</td>
      <td>
        {!renaming && (
          <div className="toolbar row-actions">
            <button
              type="button"
              className="secondary"
              aria-label={`Rename #${tag.name}`}
              onClick={() => {
                setName(tag.name);
                setRenaming(true);
              }}
            >
              Rename
            </button>
            <button type="button" className="danger" aria-label={`Delete #${tag.name}`} disabled={busy} onClick={remove}>
              Delete
            </button>
          </div>
        )}
      </td>
    </tr>
  );
}
