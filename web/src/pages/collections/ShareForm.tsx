import { useState, type FormEvent } from "react";
import type { MemberRole } from "../../api/collections";
import { FormActions } from "../../components/FormActions";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useAction } from "../../hooks/useAction";

/** Adds a member by the email of their account (the API refuses an unknown address). */
export function ShareForm({ onShare }: { onShare: (email: string, role: MemberRole) => Promise<void> }) {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<MemberRole>("viewer");
  const { busy, error, run } = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      await onShare(email.trim(), role);
      setEmail("");
    });
  }

  return (
    <form className="inline" aria-label="Share" onSubmit={submit}>
      <label>
        Email
        <input type="email" required autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} />
      </label>
      <label>
        Role
        <select value={role} onChange={(e) => setRole(e.target.value as MemberRole)}>
          <option value="viewer">Viewer (can read)</option>
          <option value="editor">Editor (can add and edit bookmarks)</option>
        </select>
      </label>
      <FormActions busy={busy} submitLabel="Share" busyLabel="Sharing…" />
      <ProblemMessage error={error} />
    </form>
  );
}
