import { useState, type FormEvent } from "react";
import { updateMe, type ProfileChange } from "../../api/account";
import { useAuth } from "../../auth/AuthProvider";
import { FormActions } from "../../components/FormActions";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useAction } from "../../hooks/useAction";

/** Display name, and the email address (which takes the current password to change). */
export function ProfileSection() {
  const { api, me, reloadMe } = useAuth();
  const [displayName, setDisplayName] = useState(me?.display_name ?? "");
  const [email, setEmail] = useState(me?.email ?? "");
  const [password, setPassword] = useState("");
  const { busy, error, run } = useAction();
  const [notice, setNotice] = useState("");
  const emailChanged = me !== null && me !== undefined && email.trim() !== me.email;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setNotice("");
    await run(async () => {
      const change: ProfileChange = { display_name: displayName.trim() };
      if (emailChanged) Object.assign(change, { email: email.trim(), current_password: password });
      await updateMe(api, change);
      await reloadMe();
      setPassword("");
      setNotice("Profile saved.");
    });
  }

  return (
    <section aria-labelledby="profile-title">
      <h2 id="profile-title">Profile</h2>
      <form onSubmit={submit}>
        <label>
          Display name
          <input maxLength={100} autoComplete="nickname" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
        </label>
        <label>
          Email
          <input type="email" required autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        {emailChanged && (
          <>
            <label>
              Current password
              <input
                type="password"
                required
                aria-describedby="profile-password-help"
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            </label>
            <small id="profile-password-help">Needed to change the email address you sign in with.</small>
          </>
        )}
        <ProblemMessage error={error} />
        <div>
          <FormActions busy={busy} submitLabel="Save profile" />
        </div>
        <p role="status">{notice}</p>
      </form>
    </section>
  );
}
