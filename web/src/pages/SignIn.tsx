import { useState, type FormEvent } from "react";
import { Link, useLocation, useNavigate } from "react-router";
import { ApiError } from "../api/client";
import { useAuth } from "../auth/AuthProvider";
import { FormActions } from "../components/FormActions";
import { ProblemMessage } from "../components/ProblemMessage";
import { useAction } from "../hooks/useAction";

export default function SignIn() {
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [needsCode, setNeedsCode] = useState(false);
  const { busy, error, run } = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      try {
        await signIn(email, password, needsCode ? code : undefined);
      } catch (caught) {
        // Not a failure to show: the password was right, and the form now asks for the code.
        if (caught instanceof ApiError && caught.code === "second_factor_required") {
          setNeedsCode(true);
          return;
        }
        throw caught;
      }
      const from = (location.state as { from?: string } | null)?.from;
      navigate(from && from.startsWith("/") ? from : "/", { replace: true });
    });
  }

  return (
    <main id="main" className="auth-page">
      <h1>Sign in</h1>
      <form onSubmit={submit} aria-describedby="sign-in-help">
        <label>
          Email
          <input type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>
          Password
          <input
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {needsCode && (
          <label>
            Authentication code
            <input
              inputMode="numeric"
              autoComplete="one-time-code"
              required
              autoFocus
              value={code}
              onChange={(e) => setCode(e.target.value.trim())}
              aria-describedby="code-help"
            />
          </label>
        )}
        {needsCode && <small id="code-help">The 6-digit code from your authenticator app, or a recovery code.</small>}
        <ProblemMessage error={error} />
        <FormActions busy={busy} submitLabel="Sign in" busyLabel="Signing in…" />
      </form>
      <p id="sign-in-help">
        No account yet? <Link to="/sign-up">Create one</Link>.
      </p>
    </main>
  );
}
