import { useState, type FormEvent } from "react";
import { confirmTotp, type TotpEnrolment as Enrolment } from "../../api/account";
import { useApi } from "../../auth/AuthProvider";
import { CopyField } from "../../components/CopyField";
import { FormActions } from "../../components/FormActions";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useAction } from "../../hooks/useAction";
import { CodeInput } from "./CodeInput";

interface Props {
  enrolment: Enrolment;
  onConfirmed: (recoveryCodes: string[]) => void;
  onCancel: () => void;
}

/** Step two of turning TOTP on: add the secret to an app, then prove it with a code. */
export function TotpEnrolment({ enrolment, onConfirmed, onCancel }: Props) {
  const api = useApi();
  const [code, setCode] = useState("");
  const { busy, error, run } = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(async () => onConfirmed(await confirmTotp(api, code)));
  }

  return (
    <div>
      <h3 id="totp-enrol-title">Set up your authenticator app</h3>
      <ol>
        <li>
          In your authenticator app, add an account with this key (or{" "}
          <a href={enrolment.otpauth_uri}>open the setup link</a> on a phone that has the app):
          <CopyField label="Secret key" value={enrolment.secret} />
          <CopyField label="Setup link" value={enrolment.otpauth_uri} />
        </li>
        <li>Enter the code the app now shows.</li>
      </ol>
      <form onSubmit={submit}>
        <CodeInput label="Code from your app" value={code} onChange={setCode} />
        <ProblemMessage error={error} />
        <div className="toolbar">
          <FormActions busy={busy} submitLabel="Confirm and turn on" onCancel={onCancel} />
        </div>
      </form>
    </div>
  );
}
