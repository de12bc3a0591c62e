import { useState } from "react";
import { startTotp, totpStatus, type TotpEnrolment as Enrolment } from "../../api/account";
import { useApi } from "../../auth/AuthProvider";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useAction } from "../../hooks/useAction";
import { useLoad } from "../../hooks/useLoad";
import { RecoveryCodes } from "./RecoveryCodes";
import { TotpEnrolment } from "./TotpEnrolment";
import { TotpManage } from "./TotpManage";

/** Two-factor authentication: off → enrolling (secret, then a code) → on (codes, turn off). */
export function TotpSection() {
  const api = useApi();
  const status = useLoad((signal) => totpStatus(api, signal), [api]);
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [notice, setNotice] = useState("");
  const { busy, error, run } = useAction();
  const state = status.data;

  const start = () => run(async () => setEnrolment(await startTotp(api)));

  function body() {
    // The codes come first: they are shown once, whatever else the section could offer.
    if (codes) return <RecoveryCodes codes={codes} onDismiss={() => setCodes(null)} />;
    if (enrolment) {
      return (
        <TotpEnrolment
          enrolment={enrolment}
          onCancel={() => setEnrolment(null)}
          onConfirmed={(recovery) => {
            setEnrolment(null);
            setCodes(recovery);
            setNotice("Two-factor authentication is on.");
            status.reload();
          }}
        />
      );
    }
    if (!state) return null;
    if (state.enabled) {
      return (
        <>
          <p>
            Two-factor authentication is <strong>on</strong>. {state.recovery_codes_left} recovery codes left.
          </p>
          <TotpManage
            required={state.required}
            onNewCodes={(fresh) => {
              setCodes(fresh);
              status.reload();
            }}
            onDisabled={() => {
              setNotice("Two-factor authentication is off.");
              status.reload();
            }}
          />
        </>
      );
    }
    return (
      <>
        <p>
          Two-factor authentication is <strong>off</strong>: signing in takes only your password.
        </p>
        {state.required && <p className="notice">Your administrator requires it for your account: please set it up.</p>}
        {state.enrolment_started && <p className="muted">An earlier setup was not finished; starting again replaces it.</p>}
        <button type="button" disabled={busy} onClick={start}>
          Set up two-factor authentication
        </button>
      </>
    );
  }

  return (
    <section aria-labelledby="totp-title" aria-busy={status.loading}>
      <h2 id="totp-title">Two-factor authentication</h2>
      <p role="status">{notice}</p>
      <ProblemMessage error={status.error ?? error} />
      {body()}
    </section>
  );
}
