import { useState, type FormEvent } from "react";
import { createToken, type ApiTokenCreated, type Scope } from "../../api/account";
import { useApi } from "../../auth/AuthProvider";
import { FormActions } from "../../components/FormActions";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useAction } from "../../hooks/useAction";

export function NewTokenForm({ onCreated }: { onCreated: (token: ApiTokenCreated) => void }) {
  const api = useApi();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<Scope[]>(["read"]);
  const [days, setDays] = useState("");
  const { busy, error, setError, run } = useAction();

  function toggle(scope: Scope, on: boolean) {
    setScopes((current) => (on ? [...current.filter((s) => s !== scope), scope] : current.filter((s) => s !== scope)));
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (scopes.length === 0) {
      setError("Choose at least one permission.");
      return;
    }
    await run(async () => {
      const created = await createToken(api, {
        name: name.trim(),
        scopes,
        expires_in_days: days ? Number(days) : null,
      });
      setName("");
      setDays("");
      onCreated(created);
    });
  }

  return (
    <form onSubmit={submit} aria-labelledby="new-token-title">
      <h3 id="new-token-title">New token</h3>
      <label>
        Token name
        <input
          required
          maxLength={100}
          aria-describedby="token-name-help"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      <small id="token-name-help">What it is for, such as “phone” or “backup script”.</small>
      <fieldset className="scopes">
        <legend>Permissions</legend>
        <label className="check">
          <input type="checkbox" checked={scopes.includes("read")} onChange={(e) => toggle("read", e.target.checked)} />
          Read bookmarks
        </label>
        <label className="check">
          <input type="checkbox" checked={scopes.includes("write")} onChange={(e) => toggle("write", e.target.checked)} />
          Add and change bookmarks
        </label>
      </fieldset>
      <label>
        Expires after (days)
        <input
          type="number"
          min={1}
          max={3650}
          inputMode="numeric"
          aria-describedby="token-days-help"
          value={days}
          onChange={(e) => setDays(e.target.value)}
        />
      </label>
      <small id="token-days-help">Leave empty for a token that does not expire.</small>
      <ProblemMessage error={error} />
      <div>
        <FormActions busy={busy} submitLabel="Create token" />
      </div>
    </form>
  );
}
