import { isFinished, processedEntries, type ImportJob, type ImportReport } from "../../api/imports";
import { ProblemMessage } from "../../components/ProblemMessage";
import { InvalidEntries } from "./InvalidEntries";
import { useImportJob } from "./useImportJob";

function summary(job: ImportJob, expected: number | null): string {
  const done = processedEntries(job.report);
  switch (job.status) {
    case "queued":
      return `Waiting to start the import of ${job.file_name}…`;
    case "running":
      return expected
        ? `Importing ${job.file_name}: ${Math.min(done, expected)} of about ${expected} entries processed.`
        : `Importing ${job.file_name}: ${done} entries processed.`;
    case "done":
      return `Import of ${job.file_name} finished: ${counts(job.report)}.`;
    case "failed":
      return `Import of ${job.file_name} failed after ${done} entries.`;
  }
}

/** The report's counts as the page lists them, each with its name. */
const COUNTS: [string, Exclude<keyof ImportReport, "invalid">][] = [
  ["Created", "created"],
  ["Updated", "updated"],
  ["Skipped", "skipped"],
  ["Invalid", "invalid_count"],
];

const counts = (r: ImportReport) =>
  `${r.created} created, ${r.updated} updated, ${r.skipped} skipped, ${r.invalid_count} invalid`;

/** Progress of one import (a bar and the counts so far), then its report. */
export function ImportJobStatus({ started, expected }: { started: ImportJob; expected: number | null }) {
  const { job, error } = useImportJob(started);
  const finished = isFinished(job);
  const done = processedEntries(job.report);
  // Without an estimated total the bar is indeterminate (no value) until the job ends.
  const value = finished ? 1 : expected ? Math.min(done, expected) : undefined;
  const max = finished ? 1 : (expected ?? undefined);

  return (
    <section aria-labelledby="import-status-title" aria-busy={!finished}>
      <h3 id="import-status-title">Import of {job.file_name}</h3>
      <progress aria-label="Import progress" value={value} max={max} />
      <p role="status">{summary(job, expected)}</p>
      {job.status === "failed" && <ProblemMessage error={job.error ?? "The import failed."} />}
      <ProblemMessage error={error} />
      <dl className="counts">
        {COUNTS.map(([label, key]) => (
          <div key={key}>
            <dt>{label}</dt>
            <dd>{job.report[key]}</dd>
          </div>
        ))}
      </dl>
      <InvalidEntries report={job.report} />
    </section>
  );
}
