import { useState, type FormEvent } from "react";
import { AUDIT_ACTIONS, type AuditAction, type AuditFilter } from "../../api/admin";

/** Narrows the audit log to one account and/or one kind of event. */
export function AuditFilters({ filter, onApply }: { filter: AuditFilter; onApply: (filter: AuditFilter) => void }) {
  const [userId, setUserId] = useState(filter.user_id ?? "");
  const [action, setAction] = useState<AuditAction | "">(filter.action ?? "");

  function submit(event: FormEvent) {
    event.preventDefault();
    onApply({ user_id: userId.trim() || undefined, action });
  }

  return (
    <form className="inline" onSubmit={submit} aria-label="Audit log filters">
      <label>
        Account ID
        <input
          value={userId}
          spellCheck={false}
          // The API takes a UUID; checked here so a typo reads as a hint, not a server error.
          pattern="[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
          title="An account's ID, such as 01a218cf-6b72-77db-a470-65e80f4384f2"
          onChange={(e) => setUserId(e.target.value)}
        />
      </label>
      <label>
        Event
        <select value={action} onChange={(e) => setAction(e.target.value as AuditAction | "")}>
          <option value="">Any event</option>
          {AUDIT_ACTIONS.map((name) => (
            <option key={name} value={name}>
              {name.replaceAll("_", " ")}
            </option>
          ))}
        </select>
      </label>
      <button type="submit">Filter</button>
      <button
        type="button"
        className="secondary"
        onClick={() => {
          setUserId("");
          setAction("");
          onApply({});
        }}
      >
        Clear filters
      </button>
    </form>
  );
}
