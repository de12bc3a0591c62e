import { useState, type FormEvent } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { useAuth } from "../auth/AuthProvider";
import { FormActions } from "../components/FormActions";
import { ProblemMessage } from "../components/ProblemMessage";
import { useAction } from "../hooks/useAction";

export default function SignUp() {
  const { api, signIn } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [password, setPassword] = useState("");
  const [invite, setInvite] = useState(params.get("invite") ?? "");
  const { busy, error, run } = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      await api.post("/api/v1/auth/register", {
        email,
        password,
        ...(displayName ? { display_name: displayName } : {}),
        ...(invite ? { invite } : {}),
      });
      await signIn(email, password);
      navigate("/", { replace: true });
    });
  }

  return (
    <main id="main" className="auth-page">
      <h1>Create an account</h1>
      <form onSubmit={submit}>
        <label>
          Email
          <input type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>
          Display name (optional)
          <input autoComplete="nickname" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
        </label>
        <label>
          Password
          <input
            type="password"
            autoComplete="new-password"
            required
            minLength={10}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-describedby="password-help"
          />
        </label>
        <small id="password-help">At least 10 characters; a passphrase is easiest to remember.</small>
        <label>
          Invitation (if the service asks for one)
          <input value={invite} onChange={(e) => setInvite(e.target.value)} />
        </label>
        <ProblemMessage error={error} />
        <FormActions busy={busy} submitLabel="Create account" busyLabel="Creating…" />
      </form>
      <p>
        Already registered? <Link to="/sign-in">Sign in</Link>.
      </p>
    </main>
  );
}
