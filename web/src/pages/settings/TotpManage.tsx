import { useState, type FormEvent } from "react";
import { disableTotp, regenerateRecoveryCodes } from "../../api/account";
import { useApi } from "../../auth/AuthProvider";
import { FormActions } from "../../components/FormActions";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useAction } from "../../hooks/useAction";
import { CodeInput } from "./CodeInput";

interface Props {
  /** An administrator requires TOTP for this account, so it cannot be turned off. */
  required: boolean;
  onNewCodes: (codes: string[]) => void;
  onDisabled: () => void;
}

/** With TOTP on: new recovery codes, or turning it off (both need a current code). */
export function TotpManage({ required, onNewCodes, onDisabled }: Props) {
  const api = useApi();
  const [regenCode, setRegenCode] = useState("");
  const [password, setPassword] = useState("");
  const [offCode, setOffCode] = useState("");
  const { busy, error, run } = useAction();

  function regenerate(event: FormEvent) {
    event.preventDefault();
    if (!window.confirm("Make new recovery codes? The old ones stop working.")) return;
    void run(async () => {
      onNewCodes(await regenerateRecoveryCodes(api, regenCode));
      setRegenCode("");
    });
  }

  function disable(event: FormEvent) {
    event.preventDefault();
    if (!window.confirm("Turn off two-factor authentication? Your password alone will sign you in.")) return;
    void run(async () => {
      await disableTotp(api, password, offCode);
      onDisabled();
    });
  }

  return (
    <>
      <ProblemMessage error={error} />
      <form onSubmit={regenerate} aria-labelledby="regen-title">
        <h3 id="regen-title">New recovery codes</h3>
        <CodeInput label="Code from your app" value={regenCode} onChange={setRegenCode} />
        <div>
          <FormActions busy={busy} submitLabel="Make new recovery codes" />
        </div>
      </form>
      {required ? (
        <p className="muted">Your administrator requires two-factor authentication, so it cannot be turned off.</p>
      ) : (
        <form onSubmit={disable} aria-labelledby="totp-off-title">
          <h3 id="totp-off-title">Turn off</h3>
          <label>
            Password
            <input
              type="password"
              required
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </label>
          <CodeInput label="Code from your app or a recovery code" value={offCode} onChange={setOffCode} />
          <div>
            <button type="submit" className="danger" disabled={busy}>
              Turn off two-factor authentication
            </button>
          </div>
        </form>
      )}
    </>
  );
}
