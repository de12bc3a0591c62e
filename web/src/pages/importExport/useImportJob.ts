import { useEffect, useState } from "react";
import { ApiError } from "../../api/client";
import { getImport, isFinished, type ImportJob } from "../../api/imports";
import { useApi } from "../../auth/AuthProvider";

// Quick at first, since small files finish within a second, then no more than every 2 s.
export const POLL_DELAYS_MS = [250, 500, 1000, 1500, 2000];

/** The job as last reported, polled until it is done or failed (mount one per job: key it by id). */
export function useImportJob(started: ImportJob): { job: ImportJob; error: unknown } {
  const api = useApi();
  const [job, setJob] = useState(started);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (isFinished(started)) return;
    const controller = new AbortController();
    let attempt = 0;
    let timer: ReturnType<typeof setTimeout>;
    const schedule = () => {
      timer = setTimeout(poll, POLL_DELAYS_MS[Math.min(attempt, POLL_DELAYS_MS.length - 1)]);
      attempt += 1;
    };
    const poll = async () => {
      try {
        const next = await getImport(api, started.id, controller.signal);
        if (controller.signal.aborted) return;
        setJob(next);
        setError(null);
        if (isFinished(next)) return;
      } catch (caught) {
        if (controller.signal.aborted) return;
        setError(caught);
        // A refusal will not change by asking again; a network blip or a 5xx may.
        const client = caught instanceof ApiError && caught.status >= 400 && caught.status < 500;
        if (client && caught.status !== 429) return;
      }
      schedule();
    };
    schedule();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [api, started]);

  return { job, error };
}
