import { NavLink, Outlet, useNavigate } from "react-router";
import { Suspense } from "react";
import { useAuth } from "../auth/AuthProvider";

const LINKS: [string, string][] = [
  ["/", "Bookmarks"],
  ["/tags", "Tags"],
  ["/collections", "Collections"],
  ["/smart-lists", "Smart lists"],
  ["/import-export", "Import & export"],
  ["/settings", "Settings"],
];

export function Layout() {
  const { me, signOut } = useAuth();
  const navigate = useNavigate();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top-bar">
        <nav aria-label="Main">
          <ul>
            {LINKS.map(([to, label]) => (
              <li key={to}>
                <NavLink to={to} end={to === "/"}>
                  {label}
                </NavLink>
              </li>
            ))}
            {me?.role === "admin" && (
              <li>
                <NavLink to="/admin">Admin</NavLink>
              </li>
            )}
          </ul>
        </nav>
        <div className="account">
          <span>{me?.display_name || me?.email}</span>
          <button
            type="button"
            onClick={async () => {
              await signOut();
              navigate("/sign-in");
            }}
          >
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<p aria-busy="true">Loading…</p>}>
          <Outlet />
        </Suspense>
      </main>
    </>
  );
}
