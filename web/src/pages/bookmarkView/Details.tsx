import { Link } from "react-router";
import { domainOf, type Bookmark } from "../../api/bookmarks";
import { Badges } from "../../components/bookmarks/Badges";
import { formatDate } from "../../components/formatting";

/** What is known about the bookmark: link, dates, tags (each a search), description, notes. */
export function Details({ bookmark }: { bookmark: Bookmark }) {
  const description = bookmark.display_description;
  return (
    <div className="bookmark-details">
      <p className="bookmark-url">
        <a href={bookmark.url} target="_blank" rel="noopener noreferrer">
          {bookmark.url}
        </a>
      </p>
      <p className="bookmark-meta">
        <span className="bookmark-domain">{bookmark.page.site_name || domainOf(bookmark.url)}</span>
        <Badges bookmark={bookmark} snapshot={false} />
      </p>
      {description && <p>{description}</p>}
      <dl className="facts">
        <div>
          <dt>Saved</dt>
          <dd>{formatDate(bookmark.created_at)}</dd>
        </div>
        <div>
          <dt>Changed</dt>
          <dd>{formatDate(bookmark.updated_at)}</dd>
        </div>
        {bookmark.page.word_count !== null && (
          <div>
            <dt>Length</dt>
            <dd>{bookmark.page.word_count} words</dd>
          </div>
        )}
        <div>
          <dt>Tags</dt>
          <dd>
            {bookmark.tags.length === 0 ? (
              <span className="muted">None</span>
            ) : (
              <ul className="tag-links">
                {bookmark.tags.map((tag) => (
                  <li key={tag}>
                    <Link className="tag" to={`/?q=${encodeURIComponent(`#${tag}`)}`}>
                      #{tag}
                    </Link>
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
      </dl>
      {bookmark.notes && (
        <>
          <h2>Notes</h2>
          <p className="notes">{bookmark.notes}</p>
        </>
      )}
    </div>
  );
}
