import { useId, useRef, useState } from "react";

/**
 * A read-only value with a Copy button. The clipboard API needs a secure context, so when it
 * is missing or refused the text is selected instead, for the reader to copy by hand.
 */
export function CopyField({ label, value }: { label: string; value: string }) {
  const id = useId();
  const [outcome, setOutcome] = useState<"" | "copied" | "selected">("");
  const field = useRef<HTMLInputElement>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setOutcome("copied");
    } catch {
      field.current?.focus();
      field.current?.select();
      setOutcome("selected");
    }
  }

  // The label sits beside the field, not around it: wrapped, the value would join the label's text.
  return (
    <div className="copy-field">
      <div className="copy-field-value">
        <label htmlFor={id}>{label}</label>
        <input id={id} ref={field} readOnly value={value} spellCheck={false} onFocus={(e) => e.currentTarget.select()} />
      </div>
      <button type="button" className="secondary" onClick={copy}>
        Copy<span className="visually-hidden"> {label.toLowerCase()}</span>
      </button>
      <span role="status" className="muted">
        {outcome === "copied"
          ? "Copied."
          : outcome === "selected"
            ? "Copying is not allowed here: the text is selected, copy it with Ctrl+C or ⌘C."
            : ""}
      </span>
    </div>
  );
}
