import { lazy, Suspense } from "react";
import { createBrowserRouter, RouterProvider } from "react-router";
import type { Api } from "./api/client";
import { AuthProvider } from "./auth/AuthProvider";
import { RequireAuth } from "./auth/RequireAuth";
import { Layout } from "./components/Layout";
import Bookmarks from "./pages/Bookmarks";

// The list is the first page almost everyone sees, so it is in the entry chunk; every other
// page is its own chunk, loaded when first visited.
const SignIn = lazy(() => import("./pages/SignIn"));
const SignUp = lazy(() => import("./pages/SignUp"));
const BookmarkView = lazy(() => import("./pages/BookmarkView"));
const Tags = lazy(() => import("./pages/Tags"));
const Collections = lazy(() => import("./pages/Collections"));
const CollectionView = lazy(() => import("./pages/CollectionView"));
const SmartLists = lazy(() => import("./pages/SmartLists"));
const SmartListView = lazy(() => import("./pages/SmartListView"));
const ImportExport = lazy(() => import("./pages/ImportExport"));
const Settings = lazy(() => import("./pages/Settings"));
const Admin = lazy(() => import("./pages/Admin"));
const NotFound = lazy(() => import("./pages/NotFound"));

const router = createBrowserRouter([
  { path: "/sign-in", element: <SignIn /> },
  { path: "/sign-up", element: <SignUp /> },
  {
    element: <RequireAuth />,
    children: [
      {
        element: <Layout />,
        children: [
          { index: true, element: <Bookmarks /> },
          { path: "bookmarks/:bookmarkId", element: <BookmarkView /> },
          { path: "tags", element: <Tags /> },
          { path: "collections", element: <Collections /> },
          { path: "collections/:collectionId", element: <CollectionView /> },
          { path: "smart-lists", element: <SmartLists /> },
          { path: "smart-lists/:smartListId", element: <SmartListView /> },
          { path: "import-export", element: <ImportExport /> },
          { path: "settings", element: <Settings /> },
          { element: <RequireAuth admin />, children: [{ path: "admin", element: <Admin /> }] },
          { path: "*", element: <NotFound /> },
        ],
      },
    ],
  },
]);

export function App({ api }: { api: Api }) {
  return (
    <AuthProvider api={api}>
      <Suspense fallback={<p aria-busy="true">Loading…</p>}>
        <RouterProvider router={router} />
      </Suspense>
    </AuthProvider>
  );
}
