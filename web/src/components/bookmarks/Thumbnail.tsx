import { useEffect, useState } from "react";
import { domainOf, type Bookmark } from "../../api/bookmarks";
import { signedUrl } from "../../api/signedUrls";
import { useApi } from "../../auth/AuthProvider";

// A row must stay on screen this long before its image is asked for, so rows flying past
// while scrolling fast cost no requests.
const SETTLE_MS = 150;

export const PREVIEW_SIZE = { width: 64, height: 40 };
export const FAVICON_SIZE = { width: 24, height: 24 };

/**
 * The page's preview thumbnail, else its favicon, else the domain's first letter. The image is
 * decorative (alt=""): the title link beside it already names the bookmark, and a screen reader
 * would otherwise read every row twice.
 */
export function Thumbnail({ bookmark }: { bookmark: Bookmark }) {
  const api = useApi();
  const path = bookmark.preview_url ?? bookmark.favicon_url;
  const size = bookmark.preview_url ? PREVIEW_SIZE : FAVICON_SIZE;
  const [src, setSrc] = useState<string | null>(null);
  const [broken, setBroken] = useState(false);

  useEffect(() => {
    if (!path) return;
    let live = true;
    const timer = setTimeout(() => {
      void signedUrl(api, path).then((url) => live && setSrc(url));
    }, SETTLE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, path]);

  return (
    <span className="bookmark-thumb" aria-hidden="true">
      {src && !broken ? (
        <img
          src={src}
          width={size.width}
          height={size.height}
          loading="lazy"
          decoding="async"
          alt=""
          onError={() => setBroken(true)}
        />
      ) : (
        <span className="bookmark-thumb-letter">{domainOf(bookmark.url).charAt(0).toUpperCase()}</span>
      )}
    </span>
  );
}
