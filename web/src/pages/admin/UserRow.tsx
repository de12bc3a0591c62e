import { useState } from "react";
import { deleteUser, updateUser, type User, type UserChange } from "../../api/admin";
import type { Role } from "../../api/types";
import { useApi } from "../../auth/AuthProvider";
import { formatDate } from "../../components/formatting";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useAction } from "../../hooks/useAction";
import { SetPasswordForm } from "./SetPasswordForm";

interface Props {
  user: User;
  /** The administrator's own account: no suspending or deleting yourself from here. */
  self: boolean;
  onUpdated: (user: User, message: string) => void;
  onDeleted: (message: string) => void;
}

export function UserRow({ user, self, onUpdated, onDeleted }: Props) {
  const api = useApi();
  const [settingPassword, setSettingPassword] = useState(false);
  const { busy, error, run } = useAction();

  const change = (patch: UserChange, message: string) =>
    run(async () => onUpdated(await updateUser(api, user.id, patch), message));

  function setRole(role: Role) {
    if (self && role !== "admin" && !window.confirm("Remove your own administrator role? You will lose this page.")) return;
    void change({ role }, `${user.email} is now ${role === "admin" ? "an administrator" : "a user"}.`);
  }

  function toggleSuspended() {
    if (user.status === "active") {
      if (!window.confirm(`Suspend ${user.email}? They are signed out and cannot sign in.`)) return;
      void change({ status: "disabled" }, `${user.email} is suspended.`);
    } else {
      void change({ status: "active" }, `${user.email} can sign in again.`);
    }
  }

  function remove() {
    if (!window.confirm(`Delete ${user.email} and all their bookmarks? This cannot be undone.`)) return;
    void run(async () => {
      await deleteUser(api, user.id);
      onDeleted(`${user.email} was deleted.`);
    });
  }

  return (
    <>
      <tr>
        <th scope="row">
          {user.email}
          {user.display_name && <small> ({user.display_name})</small>}
          {self && <small> (you)</small>}
          <ProblemMessage error={error} />
        </th>
        <td>
          <select aria-label={`Role of ${user.email}`} value={user.role} disabled={busy} onChange={(e) => setRole(e.target.value as Role)}>
            <option value="user">User</option>
            <option value="admin">Administrator</option>
          </select>
        </td>
        <td>{user.status === "active" ? "Active" : "Suspended"}</td>
        <td>
          <label className="check">
            <input
              type="checkbox"
              checked={user.totp_required}
              disabled={busy}
              onChange={(e) =>
                void change(
                  { totp_required: e.target.checked },
                  `Two-factor authentication is ${e.target.checked ? "now required" : "no longer required"} for ${user.email}.`,
                )
              }
            />
            <span className="visually-hidden">Require two-factor authentication for {user.email}</span>
          </label>
        </td>
        <td>{formatDate(user.last_login_at, "Never")}</td>
        <td>
          <div className="toolbar row-actions">
            <button type="button" className="secondary" onClick={() => setSettingPassword(true)}>
              Reset password<span className="visually-hidden"> of {user.email}</span>
            </button>
            {!self && (
              <>
                <button type="button" className="secondary" disabled={busy} onClick={toggleSuspended}>
                  {user.status === "active" ? "Suspend" : "Reactivate"}
                  <span className="visually-hidden"> {user.email}</span>
                </button>
                <button type="button" className="danger" disabled={busy} onClick={remove}>
                  Delete<span className="visually-hidden"> {user.email}</span>
                </button>
              </>
            )}
          </div>
        </td>
      </tr>
      {settingPassword && (
        <tr>
          <td colSpan={6}>
            <SetPasswordForm
              user={user}
              onDone={(message) => {
                setSettingPassword(false);
                if (message) onUpdated(user, message);
              }}
            />
          </td>
        </tr>
      )}
    </>
  );
}
