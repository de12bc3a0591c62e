// The caller's tags with their counts: each opens its search; rename, merge and delete.
import { useMemo, useState } from "react";
import { listTags } from "../api/bookmarks";
import { useApi } from "../auth/AuthProvider";
import { ProblemMessage } from "../components/ProblemMessage";
import { TableHead } from "../components/TableHead";
import { useLoad } from "../hooks/useLoad";
import { MergeTagsForm } from "./tags/MergeTagsForm";
import { TagRow } from "./tags/TagRow";

export default function Tags() {
  const api = useApi();
  const loaded = useLoad((signal) => listTags(api, signal), [api]);
  const [filter, setFilter] = useState("");
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());
  const [message, setMessage] = useState("");
  const tags = useMemo(() => loaded.data ?? [], [loaded.data]);
  const shown = useMemo(() => {
    const needle = filter.trim().replace(/^#/, "").toLowerCase();
    return needle ? tags.filter((tag) => tag.name.toLowerCase().includes(needle)) : tags;
  }, [tags, filter]);

  function changed(text: string) {
    setMessage(text);
    setSelected(new Set());
    loaded.reload();
  }

  function select(name: string, on: boolean) {
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(name);
      else next.delete(name);
      return next;
    });
  }

  return (
    <>
      <h1>Tags</h1>
      <p role="status" className={message ? "notice" : "visually-hidden"}>
        {message}
      </p>
      {loaded.error ? <ProblemMessage error={loaded.error} /> : null}
      {!loaded.data && !loaded.error && <p aria-busy="true">Loading…</p>}
      {loaded.data && tags.length === 0 && <p>No tags yet. Tags you give bookmarks appear here.</p>}
      {tags.length > 0 && (
        <>
          <div className="toolbar">
            <label>
              Filter tags
              <input type="search" value={filter} autoCapitalize="none" onChange={(event) => setFilter(event.target.value)} />
            </label>
            <span className="muted">
              {shown.length === tags.length ? `${tags.length} tags` : `${shown.length} of ${tags.length} tags`}
            </span>
          </div>
          {selected.size > 0 && (
            <MergeTagsForm sources={[...selected]} names={tags.map((tag) => tag.name)} onMerged={changed} />
          )}
          <table className="tags-table">
            <TableHead
              columns={[
                <span className="visually-hidden">Select</span>,
                "Tag",
                "Bookmarks",
                <span className="visually-hidden">Actions</span>,
              ]}
            />
            <tbody>
              {shown.map((tag) => (
                <TagRow
                  key={tag.name}
                  tag={tag}
                  selected={selected.has(tag.name)}
                  onSelect={select}
                  onChanged={changed}
                />
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
