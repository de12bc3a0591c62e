import { useState, type FormEvent } from "react";
import { createInvite } from "../../api/admin";
import { useApi } from "../../auth/AuthProvider";
import { CopyField } from "../../components/CopyField";
import { FormActions } from "../../components/FormActions";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useAction } from "../../hooks/useAction";

/** A single-use invite for when registration is by invitation; shown once, as a sign-up link. */
export function InviteSection() {
  const api = useApi();
  const [email, setEmail] = useState("");
  const [invite, setInvite] = useState<string | null>(null);
  const { busy, error, run } = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      setInvite(await createInvite(api, email.trim() || null));
      setEmail("");
    });
  }

  const link = invite ? `${window.location.origin}/sign-up?invite=${encodeURIComponent(invite)}` : "";

  return (
    <section aria-labelledby="invites-title">
      <h2 id="invites-title">Invites</h2>
      {invite ? (
        <div className="notice secret-panel">
          <h3 id="invite-made-title">Invite created</h3>
          <p>
            <strong>Send this link now: it is not shown again.</strong> It works once, within 7 days.
          </p>
          <CopyField label="Sign-up link" value={link} />
          <CopyField label="Invite code" value={invite} />
          <button type="button" onClick={() => setInvite(null)}>
            Done
          </button>
        </div>
      ) : (
        <form onSubmit={submit} className="inline">
          <label>
            Invitee's email <small>(optional: only this address can use it)</small>
            <input type="email" autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} />
          </label>
          <FormActions busy={busy} submitLabel="Make invite" />
          <ProblemMessage error={error} />
        </form>
      )}
    </section>
  );
}
