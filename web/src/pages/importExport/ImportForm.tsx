import { useState, type FormEvent } from "react";
import { submitImport, type FileFormat, type ImportJob, type ImportMode } from "../../api/imports";
import { useApi } from "../../auth/AuthProvider";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useAction } from "../../hooks/useAction";
import { estimateEntries, guessFormat } from "./fileFormat";

/** Uploads a bookmark file; the job it starts runs in the background. */
export function ImportForm({ onStarted }: { onStarted: (job: ImportJob, expected: number | null) => void }) {
  const api = useApi();
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<FileFormat>("netscape");
  const [mode, setMode] = useState<ImportMode>("skip");
  const [foldersAsTags, setFoldersAsTags] = useState(false);
  const { busy, error, run } = useAction();

  function choose(chosen: File | null) {
    setFile(chosen);
    if (chosen) setFormat(guessFormat(chosen.name));
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!file) return;
    await run(async () => {
      const [job, expected] = await Promise.all([
        submitImport(api, { file, format, mode, foldersAsTags: format === "netscape" && foldersAsTags }),
        estimateEntries(file, format),
      ]);
      onStarted(job, expected);
    });
  }

  return (
    <form onSubmit={submit} aria-busy={busy}>
      <label>
        Bookmark file
        <input
          type="file"
          aria-describedby="import-file-help"
          accept=".html,.htm,.jsonl,.ndjson,.json,text/html,application/x-ndjson"
          onChange={(e) => choose(e.target.files?.[0] ?? null)}
        />
      </label>
      <small id="import-file-help">A browser's bookmark export (HTML), or JSON Lines such as this service's own export.</small>
      <label>
        File format
        <select value={format} onChange={(e) => setFormat(e.target.value as FileFormat)}>
          <option value="netscape">Browser bookmarks (HTML)</option>
          <option value="jsonl">JSON Lines</option>
        </select>
      </label>
      <label>
        Links you already saved
        <select value={mode} onChange={(e) => setMode(e.target.value as ImportMode)}>
          <option value="skip">Keep mine, skip the file's</option>
          <option value="update">Update mine from the file</option>
        </select>
      </label>
      {format === "netscape" && (
        <label className="check">
          <input type="checkbox" checked={foldersAsTags} onChange={(e) => setFoldersAsTags(e.target.checked)} />
          Turn bookmark folders into tags
        </label>
      )}
      <ProblemMessage error={error} />
      <div>
        <button type="submit" disabled={busy || !file}>
          {busy ? "Uploading…" : "Import"}
        </button>
      </div>
    </form>
  );
}
