import { useMemo } from "react";
import { Link, useParams } from "react-router";
import { collectionBookmarks, getCollection } from "../api/collections";
import { useApi } from "../auth/AuthProvider";
import { BookmarkList, type BookmarkSource } from "../components/BookmarkList";
import { ProblemMessage } from "../components/ProblemMessage";
import { useLoad } from "../hooks/useLoad";
import { SharingPanel } from "./collections/SharingPanel";

const ROLE_TEXT = { owner: "You own this collection.", editor: "Shared with you: you can add and edit bookmarks.", viewer: "Shared with you: you can read it." };

/** One collection: who it is shared with (and how), then its bookmarks. */
export default function CollectionView() {
  const { collectionId = "" } = useParams();
  const api = useApi();
  const loaded = useLoad((signal) => getCollection(api, collectionId, signal), [api, collectionId]);
  const source = useMemo<BookmarkSource>(
    () => ({
      key: `collection:${collectionId}`,
      fetchPage: (cursor, signal) => collectionBookmarks(api, collectionId, cursor, signal),
    }),
    [api, collectionId],
  );
  const collection = loaded.data;

  return (
    <>
      <p>
        <Link to="/collections">All collections</Link>
      </p>
      {!collection ? (
        <>
          <h1>Collection</h1>
          {loaded.error ? <ProblemMessage error={loaded.error} /> : <p aria-busy="true">Loading…</p>}
        </>
      ) : (
        <>
          <h1>{collection.name}</h1>
          {collection.description && <p>{collection.description}</p>}
          <p className="muted">{ROLE_TEXT[collection.role]}</p>
          {/* Sharing comes before the list: the list can be long, the sharing controls are few. */}
          <SharingPanel collection={collection} onCollectionChanged={loaded.reload} />
          <section aria-labelledby="collection-bookmarks">
            <h2 id="collection-bookmarks">Bookmarks</h2>
            <BookmarkList source={source} emptyText="No bookmarks in this collection yet." />
          </section>
        </>
      )}
    </>
  );
}
