interface Props {
  busy: boolean;
  submitLabel: string;
  /** Replaces the submit label while the form is being sent. */
  busyLabel?: string;
  /** Offers a Cancel button beside the submit button when given. */
  onCancel?: () => void;
}

/** A form's submit button (disabled while it is sent) and its optional Cancel button. No
 *  wrapper of its own: forms lay their buttons out differently (a toolbar, a grid row, an
 *  inline form's own row), so the caller places them. */
export function FormActions({ busy, submitLabel, busyLabel, onCancel }: Props) {
  return (
    <>
      <button type="submit" disabled={busy}>
        {busy && busyLabel ? busyLabel : submitLabel}
      </button>
      {onCancel && (
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      )}
    </>
  );
}
