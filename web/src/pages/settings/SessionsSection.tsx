import { useState } from "react";
import { useNavigate } from "react-router";
import { listSessions, logoutEverywhere, revokeSession, type Session } from "../../api/account";
import { useAuth } from "../../auth/AuthProvider";
import { formatDate } from "../../components/formatting";
import { ProblemMessage } from "../../components/ProblemMessage";
import { TableHead } from "../../components/TableHead";
import { useAction } from "../../hooks/useAction";
import { useLoad } from "../../hooks/useLoad";

/** Where the account is signed in; end one session, or all of them (this one included). */
export function SessionsSection() {
  const { api, signOut } = useAuth();
  const navigate = useNavigate();
  const sessions = useLoad((signal) => listSessions(api, signal), [api]);
  const { error, run } = useAction();
  const [notice, setNotice] = useState("");

  async function revoke(session: Session) {
    if (!window.confirm(`Sign out the session on “${session.user_agent || "an unknown device"}”?`)) return;
    await run(async () => {
      await revokeSession(api, session.id);
      setNotice("Session signed out.");
      sessions.reload();
    });
  }

  async function everywhere() {
    if (!window.confirm("Sign out everywhere, this browser included?")) return;
    await run(async () => {
      await logoutEverywhere(api);
      await signOut();
      navigate("/sign-in", { replace: true });
    });
  }

  return (
    <section aria-labelledby="sessions-title" aria-busy={sessions.loading}>
      <h2 id="sessions-title">Sessions</h2>
      <ProblemMessage error={sessions.error ?? error} />
      <table>
        <TableHead columns={["Browser or app", "IP address", "Signed in", "Last active", "Actions"]} />
        <tbody>
          {(sessions.data ?? []).map((session) => (
            <tr key={session.id} aria-current={session.current ? "true" : undefined}>
              <th scope="row">
                {session.user_agent || "Unknown"}
                {session.current && <strong className="badge"> This session</strong>}
              </th>
              <td>{session.ip}</td>
              <td>{formatDate(session.created_at)}</td>
              <td>{formatDate(session.last_used_at)}</td>
              <td>
                {/* Ending this session is signing out, which the top bar already offers. */}
                {!session.current && (
                  <button type="button" className="danger" onClick={() => revoke(session)}>
                    Sign out<span className="visually-hidden"> this session</span>
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p role="status">{notice}</p>
      <button type="button" className="danger" onClick={everywhere}>
        Sign out everywhere
      </button>
    </section>
  );
}
