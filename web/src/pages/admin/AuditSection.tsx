import { useState } from "react";
import { listAudit, listUsers, type AuditEvent, type AuditFilter } from "../../api/admin";
import { useApi } from "../../auth/AuthProvider";
import { formatDate } from "../../components/formatting";
import { ProblemMessage } from "../../components/ProblemMessage";
import { TableHead } from "../../components/TableHead";
import { useLoad } from "../../hooks/useLoad";
import { AuditFilters } from "./AuditFilters";
import { Pager } from "./Pager";

const PAGE = 50;

function Details({ detail }: { detail: AuditEvent["detail"] }) {
  const entries = Object.entries(detail).filter(([, value]) => value !== "");
  if (entries.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="plain-list">
      {entries.map(([key, value]) => (
        <li key={key}>
          {key}: <code>{value}</code>
        </li>
      ))}
    </ul>
  );
}

/** An account as its email when known (the event only names its ID). */
function Account({ id, emails }: { id: string | null; emails: Map<string, string> | undefined }) {
  if (!id) return <span className="muted">—</span>;
  const email = emails?.get(id);
  return email ? <span title={id}>{email}</span> : <code className="id">{id}</code>;
}

/** The security audit log, newest first, filtered and paged by the API. */
export function AuditSection() {
  const api = useApi();
  const [filter, setFilter] = useState<AuditFilter>({});
  const [offset, setOffset] = useState(0);
  const events = useLoad(
    (signal) => listAudit(api, filter, offset, PAGE, signal),
    [api, filter.user_id, filter.action, offset],
  );
  const items = events.data?.items ?? [];
  // One page of accounts is enough to name the actors of most events on a small instance.
  const emails = useLoad(
    (signal) => listUsers(api, 0, 500, signal).then((page) => new Map(page.items.map((u) => [u.id, u.email]))),
    [api],
  );

  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      <AuditFilters
        filter={filter}
        onApply={(next) => {
          setFilter(next);
          setOffset(0);
        }}
      />
      <ProblemMessage error={events.error} />
      <table aria-busy={events.loading}>
        <caption className="visually-hidden">Audit events</caption>
        <TableHead columns={["When", "Event", "By", "About", "IP address", "Details"]} />
        <tbody>
          {items.map((event) => (
            <tr key={event.id}>
              <th scope="row">
                <time dateTime={event.occurred_at}>{formatDate(event.occurred_at)}</time>
              </th>
              <td>{event.action.replaceAll("_", " ")}</td>
              <td>
                <Account id={event.actor_id} emails={emails.data} />
              </td>
              <td>
                <Account id={event.subject_id} emails={emails.data} />
              </td>
              <td>{event.ip}</td>
              <td>
                <Details detail={event.detail} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {events.data && items.length === 0 && <p className="muted">No events match.</p>}
      <Pager offset={offset} limit={PAGE} count={items.length} what="audit events" onChange={setOffset} />
    </section>
  );
}
