import { useCallback, useState } from "react";

export interface Action {
  /** True while an action runs, so the page can disable what would start it a second time. */
  busy: boolean;
  /** What the last action threw (shown with ProblemMessage); null while one runs and after success. */
  error: unknown;
  /** Shows a problem found before anything is sent (a form's own check). */
  setError: (error: unknown) => void;
  /** Runs `action` and resolves to whether it succeeded. It never rejects: the failure is in
   *  `error`, because the callers are event handlers with nobody above them to catch it. */
  run: (action: () => Promise<unknown>) => Promise<boolean>;
}

/** The state of something the user starts (a submit, a delete): busy while it runs, its error after. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const run = useCallback(async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      return true;
    } catch (caught) {
      setError(caught);
      return false;
    } finally {
      setBusy(false);
    }
  }, []);

  return { busy, error, setError, run };
}
