import { useState } from "react";
import type { ImportJob } from "../api/imports";
import { ExportPanel } from "./importExport/ExportPanel";
import { ImportForm } from "./importExport/ImportForm";
import { ImportJobStatus } from "./importExport/ImportJobStatus";

/** Import a bookmark file (and follow the job), or download every bookmark. */
export default function ImportExport() {
  const [started, setStarted] = useState<{ job: ImportJob; expected: number | null } | null>(null);

  return (
    <>
      <h1>Import &amp; export</h1>
      <section aria-labelledby="import-title">
        <h2 id="import-title">Import</h2>
        <ImportForm onStarted={(job, expected) => setStarted({ job, expected })} />
        {started && <ImportJobStatus key={started.job.id} started={started.job} expected={started.expected} />}
      </section>
      <section aria-labelledby="export-title">
        <h2 id="export-title">Export</h2>
        <ExportPanel />
      </section>
    </>
  );
}
