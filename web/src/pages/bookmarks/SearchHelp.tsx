// The query language (SPEC 3.5) as the API's `q` parameter speaks it.
const OPERATORS: [string, string][] = [
  ["word", "Bookmarks containing the word (in the title, description, notes or page text)"],
  ['"exact phrase"', "The words together, in this order"],
  ["-word", 'Leave out bookmarks with the word (also -"phrase")'],
  ["#tag", "Tagged with the tag; -#tag leaves it out"],
  ["site:example.com", "Links to this site (and its subdomains); -site: leaves it out"],
  ["is:unread", "Unread ones; also is:favorite and is:archived, or -is:unread for the opposite"],
  ["in:collection", 'In the collection with this name (in:"two words")'],
  ["before:2024-01-31", "Saved before this date"],
  ["after:2024-01-01", "Saved on this date or later"],
];

/** A closed-by-default disclosure listing the search operators. */
export function SearchHelp() {
  return (
    <details className="search-help">
      <summary>Search help</summary>
      <p>Combine any of these; every part must match.</p>
      <dl>
        {OPERATORS.map(([syntax, meaning]) => (
          <div key={syntax}>
            <dt>
              <code>{syntax}</code>
            </dt>
            <dd>{meaning}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
