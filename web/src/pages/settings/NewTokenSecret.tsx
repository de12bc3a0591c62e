import { useEffect, useRef } from "react";
import type { ApiTokenCreated } from "../../api/account";
import { CopyField } from "../../components/CopyField";

/** The new token's secret, this one time: the service keeps only its hash. */
export function NewTokenSecret({ token, onDismiss }: { token: ApiTokenCreated; onDismiss: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  // Focus moves to the panel's heading, so a keyboard or screen-reader user lands on the secret.
  useEffect(() => heading.current?.focus(), []);
  return (
    <div className="notice secret-panel">
      <h3 id="new-secret-title" ref={heading} tabIndex={-1}>
        Token “{token.name}” created
      </h3>
      <p>
        <strong>Copy it now: it will not be shown again.</strong> Anyone who has it can act as you with the
        permissions you chose.
      </p>
      <CopyField label="New token secret" value={token.secret} />
      <button type="button" onClick={onDismiss}>
        Done, I have copied it
      </button>
    </div>
  );
}
