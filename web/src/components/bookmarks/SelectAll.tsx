import { useEffect, useRef } from "react";
import type { Bookmark } from "../../api/bookmarks";

interface Props {
  loaded: Bookmark[];
  selected: ReadonlySet<string>;
  onChange: (ids: string[]) => void;
}

/** One checkbox for every row loaded so far; "mixed" when only some are checked. */
export function SelectAll({ loaded, selected, onChange }: Props) {
  const box = useRef<HTMLInputElement>(null);
  // Only loaded rows can be checked and rows are never dropped, so counting is enough (and
  // stays cheap at 100k rows, on every scroll render).
  const all = loaded.length > 0 && selected.size === loaded.length;
  const some = selected.size > 0 && !all;
  useEffect(() => {
    // `indeterminate` exists only as a DOM property, not as an attribute React can set.
    if (box.current) box.current.indeterminate = some;
  }, [some]);
  return (
    <label className="check bookmark-select-all">
      <input
        ref={box}
        type="checkbox"
        checked={all}
        onChange={(event) => onChange(event.target.checked ? loaded.map((b) => b.id) : [])}
      />
      Select all {loaded.length} loaded
    </label>
  );
}
