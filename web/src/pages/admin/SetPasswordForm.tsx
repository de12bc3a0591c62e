import { useState, type FormEvent } from "react";
import { setUserPassword, type User } from "../../api/admin";
import { useApi } from "../../auth/AuthProvider";
import { FormActions } from "../../components/FormActions";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useAction } from "../../hooks/useAction";

/** An administrator sets a new password for someone locked out (their sessions end). */
export function SetPasswordForm({ user, onDone }: { user: User; onDone: (message: string | null) => void }) {
  const api = useApi();
  const [password, setPassword] = useState("");
  const { busy, error, run } = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      await setUserPassword(api, user.id, password);
      onDone(`New password set for ${user.email}.`);
    });
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
      <FormActions busy={busy} submitLabel="Set password" onCancel={() => onDone(null)} />
      <ProblemMessage error={error} />
    </form>
  );
}
