import { memo } from "react";
import { Link } from "react-router";
import { domainOf, titleOf, type Bookmark } from "../../api/bookmarks";
import { Badges } from "./Badges";
import { Thumbnail } from "./Thumbnail";

interface Props {
  bookmark: Bookmark;
  selectable: boolean;
  selected: boolean;
  onToggle: (id: string, selected: boolean) => void;
}

/** One row of the list; memoised because scrolling re-renders the window many times a second. */
export const BookmarkRow = memo(function BookmarkRow({ bookmark, selectable, selected, onToggle }: Props) {
  const title = titleOf(bookmark);
  return (
    <div className={selected ? "bookmark-row selected" : "bookmark-row"}>
      {selectable && (
        <input
          type="checkbox"
          className="bookmark-select"
          aria-label={`Select ${title}`}
          checked={selected}
          onChange={(event) => onToggle(bookmark.id, event.target.checked)}
        />
      )}
      <Thumbnail bookmark={bookmark} />
      <div className="bookmark-row-text">
        <Link className="bookmark-title" to={`/bookmarks/${bookmark.id}`} data-testid="bookmark-link">
          {title}
        </Link>
        <div className="bookmark-meta">
          <span className="bookmark-domain">{domainOf(bookmark.url)}</span>
          <Badges bookmark={bookmark} />
          {bookmark.tags.length > 0 && (
            <span className="bookmark-tags">
              <span className="visually-hidden">Tags: </span>
              {bookmark.tags.map((tag) => (
                <span key={tag} className="tag">
                  #{tag}
                </span>
              ))}
            </span>
          )}
        </div>
      </div>
    </div>
  );
});
