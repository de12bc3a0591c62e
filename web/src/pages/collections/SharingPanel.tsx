import { useState } from "react";
import { useNavigate } from "react-router";
import { listMembers, removeMember, shareCollection, type Collection, type Member, type MemberRole } from "../../api/collections";
import { useAuth } from "../../auth/AuthProvider";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useAction } from "../../hooks/useAction";
import { useLoad } from "../../hooks/useLoad";
import { MemberTable } from "./MemberTable";
import { PublicLinkPanel } from "./PublicLinkPanel";
import { ShareForm } from "./ShareForm";

/** Members (everyone who can read the collection sees them); the owner also shares and publishes. */
export function SharingPanel({ collection, onCollectionChanged }: { collection: Collection; onCollectionChanged: () => void }) {
  const { api, me } = useAuth();
  const navigate = useNavigate();
  const owner = collection.role === "owner";
  // Kept locally so a share or removal shows at once, without waiting for a reload.
  const [members, setMembers] = useState<Member[]>([]);
  const loaded = useLoad(
    async (signal) => {
      const items = await listMembers(api, collection.id, signal);
      if (!signal.aborted) setMembers(items);
      return items;
    },
    [api, collection.id],
  );
  const [notice, setNotice] = useState("");
  const { error, run } = useAction();

  function upsert(member: Member) {
    setMembers((current) => [...current.filter((m) => m.user_id !== member.user_id), member]);
  }

  async function share(email: string, role: MemberRole) {
    const member = await shareCollection(api, collection.id, email, role);
    upsert(member);
    setNotice(`Shared with ${member.email} as ${role}.`);
  }

  const changeRole = (member: Member, role: MemberRole) =>
    run(async () => {
      upsert(await shareCollection(api, collection.id, member.email, role));
      setNotice(`${member.email} is now ${role === "editor" ? "an editor" : "a viewer"}.`);
    });

  async function remove(member: Member) {
    const leaving = member.user_id === me?.id;
    const question = leaving
      ? `Leave “${collection.name}”? You will no longer see it.`
      : `Stop sharing “${collection.name}” with ${member.email}?`;
    if (!window.confirm(question)) return;
    await run(async () => {
      await removeMember(api, collection.id, member.user_id);
      if (leaving) {
        navigate("/collections");
        return;
      }
      setMembers((current) => current.filter((m) => m.user_id !== member.user_id));
      setNotice(`${member.email} was removed.`);
    });
  }

  return (
    <section aria-labelledby="sharing-title">
      <h2 id="sharing-title">Sharing</h2>
      <ProblemMessage error={loaded.error ?? error} />
      {members.length === 0 ? (
        <p className="muted">{loaded.loading ? "Loading members…" : "Not shared with anyone."}</p>
      ) : (
        <MemberTable members={members} manage={owner} myId={me?.id} onRoleChange={changeRole} onRemove={remove} />
      )}
      <p role="status">{notice}</p>
      {owner && <ShareForm onShare={share} />}
      {owner && <PublicLinkPanel collection={collection} onChanged={onCollectionChanged} />}
    </section>
  );
}
