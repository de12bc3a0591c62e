import { useState } from "react";
import { listTokens, revokeToken, type ApiToken, type ApiTokenCreated } from "../../api/account";
import { useApi } from "../../auth/AuthProvider";
import { formatDate } from "../../components/formatting";
import { ProblemMessage } from "../../components/ProblemMessage";
import { TableHead } from "../../components/TableHead";
import { useAction } from "../../hooks/useAction";
import { useLoad } from "../../hooks/useLoad";
import { NewTokenForm } from "./NewTokenForm";
import { NewTokenSecret } from "./NewTokenSecret";

const SCOPE_TEXT = { read: "read", write: "write" } as const;

/** Personal API tokens for scripts and apps: create (secret shown once), list, revoke. */
export function TokensSection() {
  const api = useApi();
  const tokens = useLoad((signal) => listTokens(api, signal), [api]);
  const [created, setCreated] = useState<ApiTokenCreated | null>(null);
  const { error, run } = useAction();
  const [notice, setNotice] = useState("");

  async function revoke(token: ApiToken) {
    if (!window.confirm(`Revoke the token “${token.name}”? Whatever uses it stops working.`)) return;
    await run(async () => {
      await revokeToken(api, token.id);
      setNotice(`Token “${token.name}” revoked.`);
      tokens.reload();
    });
  }

  return (
    <section aria-labelledby="tokens-title">
      <h2 id="tokens-title">API tokens</h2>
      {created ? (
        <NewTokenSecret
          token={created}
          onDismiss={() => {
            setCreated(null);
            setNotice("The secret is no longer shown.");
          }}
        />
      ) : (
        <NewTokenForm
          onCreated={(token) => {
            setCreated(token);
            tokens.reload();
          }}
        />
      )}
      <p role="status">{notice}</p>
      <ProblemMessage error={tokens.error ?? error} />
      {tokens.data && tokens.data.length === 0 ? (
        <p className="muted">No tokens yet.</p>
      ) : (
        <table aria-busy={tokens.loading}>
          <caption className="visually-hidden">Your API tokens</caption>
          <TableHead columns={["Name", "Starts with", "Permissions", "Created", "Last used", "Expires", "Actions"]} />
          <tbody>
            {(tokens.data ?? []).map((token) => (
              <tr key={token.id}>
                <th scope="row">{token.name}</th>
                <td>
                  <code>{token.hint}…</code>
                </td>
                <td>{token.scopes.map((scope) => SCOPE_TEXT[scope]).join(", ")}</td>
                <td>{formatDate(token.created_at)}</td>
                <td>{formatDate(token.last_used_at, "Never")}</td>
                <td>{formatDate(token.expires_at, "Never")}</td>
                <td>
                  {token.revoked_at ? (
                    <span className="muted">Revoked {formatDate(token.revoked_at)}</span>
                  ) : (
                    <button type="button" className="danger" onClick={() => revoke(token)}>
                      Revoke<span className="visually-hidden"> {token.name}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
