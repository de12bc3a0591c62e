import type { Member, MemberRole } from "../../api/collections";
import { formatDate } from "../../components/formatting";
import { TableHead } from "../../components/TableHead";

interface Props {
  members: Member[];
  /** The owner may change roles and remove anyone; a member may only leave. */
  manage: boolean;
  myId: string | undefined;
  onRoleChange: (member: Member, role: MemberRole) => void;
  onRemove: (member: Member) => void;
}

export function MemberTable({ members, manage, myId, onRoleChange, onRemove }: Props) {
  return (
    <table>
      <caption className="visually-hidden">Members</caption>
      <TableHead columns={["Member", "Role", "Added", "Actions"]} />
      <tbody>
        {members.map((member) => (
          <tr key={member.user_id}>
            <th scope="row">
              {member.email}
              {member.display_name && <small> ({member.display_name})</small>}
            </th>
            <td>
              {manage ? (
                <select
                  aria-label={`Role of ${member.email}`}
                  value={member.role}
                  onChange={(e) => onRoleChange(member, e.target.value as MemberRole)}
                >
                  <option value="viewer">Viewer</option>
                  <option value="editor">Editor</option>
                </select>
              ) : member.role === "editor" ? (
                "Editor"
              ) : (
                "Viewer"
              )}
            </td>
            <td>{formatDate(member.added_at)}</td>
            <td>
              {manage ? (
                <button type="button" className="danger" onClick={() => onRemove(member)}>
                  Remove<span className="visually-hidden"> {member.email}</span>
                </button>
              ) : member.user_id === myId ? (
                <button type="button" className="danger" onClick={() => onRemove(member)}>
                  Leave collection
                </button>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
