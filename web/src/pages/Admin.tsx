import { AuditSection } from "./admin/AuditSection";
import { InviteSection } from "./admin/InviteSection";
import { UsersSection } from "./admin/UsersSection";

/** Administration: accounts, invites and the audit log (the route admits admins only). */
export default function Admin() {
  return (
    <>
      <h1>Administration</h1>
      <UsersSection />
      <InviteSection />
      <AuditSection />
    </>
  );
}
