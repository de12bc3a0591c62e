import { getPageText, type Bookmark } from "../../api/bookmarks";
import { useApi } from "../../auth/AuthProvider";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useLoad } from "../../hooks/useLoad";

/**
 * The archived page's readable text, as plain paragraphs. It comes from a hostile page, so it
 * is only ever rendered as text (React escapes it), never as HTML.
 */
export function ReaderText({ bookmark }: { bookmark: Bookmark }) {
  const api = useApi();
  const loaded = useLoad((signal) => getPageText(api, bookmark.id, signal), [api, bookmark.id]);

  if (loaded.error) return <ProblemMessage error={loaded.error} />;
  if (!loaded.data) return <p aria-busy="true">Loading the text…</p>;
  // The extractor puts one block of the page per line.
  const paragraphs = loaded.data.text.split("\n").map((line) => line.trim()).filter(Boolean);
  if (paragraphs.length === 0) return <p className="muted">The archived page has no readable text.</p>;
  return (
    <article className="reader-text" lang={bookmark.page.language || undefined} data-testid="reader-text">
      {paragraphs.map((paragraph, index) => (
        <p key={index}>{paragraph}</p>
      ))}
    </article>
  );
}
