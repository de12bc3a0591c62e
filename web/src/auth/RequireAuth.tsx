import { Navigate, Outlet, useLocation } from "react-router";
import { useAuth } from "./AuthProvider";

/** Routes below need a session: wait for the restore, then send strangers to sign in. */
export function RequireAuth({ admin = false }: { admin?: boolean }) {
  const { me } = useAuth();
  const location = useLocation();
  if (me === undefined) return <p aria-busy="true">Loading…</p>;
  if (me === null) return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  if (admin && me.role !== "admin") return <p role="alert">This page is for administrators.</p>;
  return <Outlet />;
}
