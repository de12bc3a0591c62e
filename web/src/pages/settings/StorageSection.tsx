import { useEffect } from "react";
import { useAuth } from "../../auth/AuthProvider";
import { formatBytes } from "../../components/formatting";

/** What the archived pages and files take, against the account's quota. */
export function StorageSection() {
  const { me, reloadMe } = useAuth();
  // The account was read at sign-in; archiving since then has used more space.
  useEffect(() => {
    reloadMe().catch(() => undefined);
  }, [reloadMe]);
  if (!me) return null;
  const { used_bytes: used, quota_bytes: quota } = me.storage;
  const percent = quota ? (used / quota) * 100 : 0;
  // "0%" would read as nothing stored, so a small share is said as such.
  const share = percent > 0 && percent < 1 ? "less than 1%" : `${Math.min(100, Math.round(percent))}%`;
  return (
    <section aria-labelledby="storage-title">
      <h2 id="storage-title">Storage</h2>
      {quota ? (
        <>
          <meter id="storage-meter" aria-label="Storage used" min={0} max={quota} value={used} high={quota * 0.9} />
          <p>
            {formatBytes(used)} of {formatBytes(quota)} used ({share}).
          </p>
        </>
      ) : (
        <p>{formatBytes(used)} used; your account has no quota.</p>
      )}
    </section>
  );
}
