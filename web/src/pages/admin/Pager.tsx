/** Previous/next over an offset-paged list; a short page means there is no next one. */
export function Pager({
  offset,
  limit,
  count,
  what,
  onChange,
}: {
  offset: number;
  limit: number;
  /** Items on the page shown now. */
  count: number;
  what: string;
  onChange: (offset: number) => void;
}) {
  return (
    <nav className="toolbar" aria-label={`Pages of ${what}`}>
      <button type="button" className="secondary" disabled={offset === 0} onClick={() => onChange(Math.max(0, offset - limit))}>
        Previous page<span className="visually-hidden"> of {what}</span>
      </button>
      <span className="muted">{count === 0 ? "Nothing here" : `${offset + 1}–${offset + count}`}</span>
      <button type="button" className="secondary" disabled={count < limit} onClick={() => onChange(offset + limit)}>
        Next page<span className="visually-hidden"> of {what}</span>
      </button>
    </nav>
  );
}
