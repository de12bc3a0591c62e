import { useState, type FormEvent } from "react";
import { createUser, type User } from "../../api/admin";
import type { Role } from "../../api/types";
import { useApi } from "../../auth/AuthProvider";
import { FormActions } from "../../components/FormActions";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useAction } from "../../hooks/useAction";

export function NewUserForm({ onCreated }: { onCreated: (user: User) => void }) {
  const api = useApi();
  const [email, setEmail] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState<Role>("user");
  const { busy, error, run } = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      const user = await createUser(api, { email: email.trim(), password, role, display_name: displayName.trim() || null });
      setEmail("");
      setDisplayName("");
      setPassword("");
      setRole("user");
      onCreated(user);
    });
  }

  return (
    <form onSubmit={submit} aria-labelledby="new-user-title">
      <h3 id="new-user-title">Add an account</h3>
      <label>
        Email
        <input type="email" required autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} />
      </label>
      <label>
        Display name <small>(optional)</small>
        <input maxLength={100} autoComplete="off" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
      </label>
      <label>
        Initial password
        <input
          type="password"
          required
          aria-describedby="new-user-password-help"
          minLength={10}
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      <small id="new-user-password-help">Tell it to them privately; they can change it in their settings.</small>
      <label>
        Role
        <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
          <option value="user">User</option>
          <option value="admin">Administrator</option>
        </select>
      </label>
      <ProblemMessage error={error} />
      <div>
        <FormActions busy={busy} submitLabel="Add account" />
      </div>
    </form>
  );
}
