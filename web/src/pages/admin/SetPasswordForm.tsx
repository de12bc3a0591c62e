import { useState, type FormEvent } from "react";
import { setUserPassword, type User } from "../../api/admin";
import { useApi } from "../../auth/AuthProvider";
import { ProblemMessage } from "../../components/ProblemMessage";

/** An administrator sets a new password for someone locked out (their sessions end). */
export function SetPasswordForm({ user, onDone }: { user: User; onDone: (message: string | null) => void }) {
  const api = useApi();
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await setUserPassword(api, user.id, password);
      onDone(`New password set for ${user.email}.`);
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  }

  return (
    <form className="inline" onSubmit={submit}>
      <label>
        New password for {user.email}
        <input
          type="password"
          required
          minLength={10}
          autoComplete="new-password"
          autoFocus
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      <button type="submit" disabled={busy}>
        Set password
      </button>
      <button type="button" className="secondary" onClick={() => onDone(null)}>
        Cancel
      </button>
      <ProblemMessage error={error} />
    </form>
  );
}
