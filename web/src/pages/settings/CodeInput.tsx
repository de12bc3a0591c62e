/** The 6-digit code an authenticator app shows (a recovery code fits too where accepted). */
export function CodeInput({ label, value, onChange }: { label: string; value: string; onChange: (code: string) => void }) {
  return (
    <label>
      {label}
      <input
        required
        inputMode="numeric"
        autoComplete="one-time-code"
        minLength={6}
        maxLength={32}
        spellCheck={false}
        value={value}
        onChange={(e) => onChange(e.target.value.replace(/\s+/g, ""))}
      />
    </label>
  );
}
