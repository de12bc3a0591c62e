import { useState } from "react";
import { listUsers, type User } from "../../api/admin";
import { useAuth } from "../../auth/AuthProvider";
import { ProblemMessage } from "../../components/ProblemMessage";
import { TableHead } from "../../components/TableHead";
import { useLoad } from "../../hooks/useLoad";
import { NewUserForm } from "./NewUserForm";
import { Pager } from "./Pager";
import { UserRow } from "./UserRow";

const PAGE = 50;

/** Every account, a page at a time: role, suspension, 2FA requirement, password, deletion. */
export function UsersSection() {
  const { api, me } = useAuth();
  const [offset, setOffset] = useState(0);
  // Row changes land here at once; a reload (paging, deletion) replaces them.
  const [users, setUsers] = useState<User[]>([]);
  const page = useLoad(
    async (signal) => {
      const answer = await listUsers(api, offset, PAGE, signal);
      if (!signal.aborted) setUsers(answer.items);
      return answer;
    },
    [api, offset],
  );
  const [notice, setNotice] = useState("");

  return (
    <section aria-labelledby="users-title">
      <h2 id="users-title">Users</h2>
      <p role="status">{notice}</p>
      <ProblemMessage error={page.error} />
      <table aria-busy={page.loading}>
        <caption className="visually-hidden">Accounts</caption>
        <TableHead columns={["Account", "Role", "Status", "2FA required", "Last sign-in", "Actions"]} />
        <tbody>
          {users.map((user) => (
            <UserRow
              key={user.id}
              user={user}
              self={user.id === me?.id}
              onUpdated={(updated, message) => {
                setUsers((current) => current.map((u) => (u.id === updated.id ? updated : u)));
                setNotice(message);
              }}
              onDeleted={(message) => {
                setNotice(message);
                page.reload();
              }}
            />
          ))}
        </tbody>
      </table>
      <Pager offset={offset} limit={PAGE} count={users.length} what="users" onChange={setOffset} />
      <NewUserForm
        onCreated={(user) => {
          setNotice(`Account ${user.email} added.`);
          page.reload();
        }}
      />
    </section>
  );
}
