import { useRef, useState } from "react";
import { downloadExport, type FileFormat } from "../../api/imports";
import { useApi } from "../../auth/AuthProvider";
import { formatBytes } from "../../components/formatting";
import { ProblemMessage } from "../../components/ProblemMessage";
import { saveFile } from "./saveFile";

/**
 * Every bookmark as a file. It is fetched with the access token (a plain link could not send
 * it), so the page shows the download's progress itself, then saves the result.
 */
export function ExportPanel() {
  const api = useApi();
  const [format, setFormat] = useState<FileFormat>("netscape");
  const [received, setReceived] = useState<number | null>(null);
  const [notice, setNotice] = useState("");
  const [error, setError] = useState<unknown>(null);
  const download = useRef<AbortController | null>(null);
  const busy = received !== null;

  async function start() {
    const controller = new AbortController();
    download.current = controller;
    setReceived(0);
    setNotice("");
    setError(null);
    try {
      const file = await downloadExport(api, format, setReceived, controller.signal);
      saveFile(file.blob, file.fileName);
      setNotice(`Downloaded ${file.fileName} (${formatBytes(file.blob.size)}).`);
    } catch (caught) {
      if (controller.signal.aborted) setNotice("Download cancelled.");
      else setError(caught);
    } finally {
      download.current = null;
      setReceived(null);
    }
  }

  return (
    <div aria-busy={busy}>
      <div className="toolbar">
        <label>
          Export format
          <select value={format} disabled={busy} onChange={(e) => setFormat(e.target.value as FileFormat)}>
            <option value="netscape">Browser bookmarks (HTML): for any browser or bookmark service</option>
            <option value="jsonl">JSON Lines: every field, to import here again</option>
          </select>
        </label>
      </div>
      <div className="toolbar">
        <button type="button" disabled={busy} onClick={start}>
          {busy ? "Downloading…" : "Download export"}
        </button>
        {busy && (
          <button type="button" className="secondary" onClick={() => download.current?.abort()}>
            Cancel download
          </button>
        )}
      </div>
      {busy && <progress aria-label="Export progress" />}
      <p role="status">{busy ? `Downloading… ${formatBytes(received)} received.` : notice}</p>
      <ProblemMessage error={error} />
    </div>
  );
}
