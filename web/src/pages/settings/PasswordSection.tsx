import { useState, type FormEvent } from "react";
import { changePassword } from "../../api/account";
import { useApi } from "../../auth/AuthProvider";
import { FormActions } from "../../components/FormActions";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useAction } from "../../hooks/useAction";

export function PasswordSection() {
  const api = useApi();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [repeat, setRepeat] = useState("");
  const { busy, error, setError, run } = useAction();
  const [notice, setNotice] = useState("");

  async function submit(event: FormEvent) {
    event.preventDefault();
    setNotice("");
    // Checked here: a typo in a password nobody can see would lock the account owner out.
    if (next !== repeat) {
      setError("The new passwords do not match.");
      return;
    }
    await run(async () => {
      await changePassword(api, current, next);
      setCurrent("");
      setNext("");
      setRepeat("");
      setNotice("Password changed. Your other sessions were signed out.");
    });
  }

  return (
    <section aria-labelledby="password-title">
      <h2 id="password-title">Password</h2>
      <form onSubmit={submit}>
        <label>
          Current password
          <input type="password" required autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} />
        </label>
        <label>
          New password
          <input
            type="password"
            required
            aria-describedby="new-password-help"
            minLength={10}
            maxLength={256}
            autoComplete="new-password"
            value={next}
            onChange={(e) => setNext(e.target.value)}
          />
        </label>
        <small id="new-password-help">At least 10 characters; a passphrase is easiest to remember.</small>
        <label>
          Repeat the new password
          <input type="password" required autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} />
        </label>
        <ProblemMessage error={error} />
        <div>
          <FormActions busy={busy} submitLabel="Change password" />
        </div>
        <p role="status">{notice}</p>
      </form>
    </section>
  );
}
