import { useEffect, useRef, useState } from "react";

/** Fresh recovery codes, shown this once: each signs in a single time without the app. */
export function RecoveryCodes({ codes, onDismiss }: { codes: string[]; onDismiss: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const [outcome, setOutcome] = useState("");
  // Focus moves to the heading, so a keyboard or screen-reader user lands on the codes.
  useEffect(() => heading.current?.focus(), []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(codes.join("\n"));
      setOutcome("Copied.");
    } catch {
      // No clipboard (an insecure context, or refused): select the codes to copy by hand.
      const selection = window.getSelection();
      if (list.current && selection) {
        const range = document.createRange();
        range.selectNodeContents(list.current);
        selection.removeAllRanges();
        selection.addRange(range);
      }
      setOutcome("Copying is not allowed here: the codes are selected, copy them with Ctrl+C or ⌘C.");
    }
  }

  return (
    <div className="notice secret-panel">
      <h3 id="recovery-title" ref={heading} tabIndex={-1}>
        Your recovery codes
      </h3>
      <p>
        <strong>Save them somewhere safe now: they will not be shown again.</strong> If you lose your
        authenticator app, each code signs you in once.
      </p>
      <ul ref={list} className="recovery-codes" aria-labelledby="recovery-title">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <div className="toolbar">
        <button type="button" className="secondary" onClick={copy}>
          Copy the codes
        </button>
        <button type="button" onClick={onDismiss}>
          Done, I have saved them
        </button>
      </div>
      <p role="status" className="muted">
        {outcome}
      </p>
    </div>
  );
}
