// Import (an uploaded file processed by a background job) and export (a streamed download).
import type { Api } from "./client";

export type FileFormat = "netscape" | "jsonl";
export type ImportMode = "skip" | "update";
export type ImportStatus = "queued" | "running" | "done" | "failed";

export interface InvalidEntry {
  /** 1-based position of the entry in the file. */
  position: number;
  reason: string;
  url: string;
}

export interface ImportReport {
  created: number;
  updated: number;
  skipped: number;
  invalid_count: number;
  /** The first invalid entries only; `invalid_count` is exact. */
  invalid: InvalidEntry[];
}

export interface ImportJob {
  id: string;
  status: ImportStatus;
  file_name: string;
  created_at: string;
  finished_at: string | null;
  report: ImportReport;
  error: string | null;
}

export interface ImportRequest {
  file: File;
  format: FileFormat;
  mode: ImportMode;
  foldersAsTags: boolean;
}

export const isFinished = (job: ImportJob) => job.status === "done" || job.status === "failed";

export const processedEntries = (report: ImportReport) =>
  report.created + report.updated + report.skipped + report.invalid_count;

/** The endpoint takes multipart/form-data only (it answers 415 to anything else). */
export function submitImport(api: Api, request: ImportRequest): Promise<ImportJob> {
  const form = new FormData();
  form.append("file", request.file, request.file.name);
  form.append("format", request.format);
  form.append("mode", request.mode);
  form.append("folders_as_tags", String(request.foldersAsTags));
  return api.request<ImportJob>("POST", "/api/v1/imports", { rawBody: form });
}

export const getImport = (api: Api, id: string, signal?: AbortSignal) =>
  api.get<ImportJob>(`/api/v1/imports/${encodeURIComponent(id)}`, undefined, signal);

export interface ExportFile {
  blob: Blob;
  fileName: string;
}

function fileNameOf(disposition: string | null, format: FileFormat): string {
  const match = disposition?.match(/filename="?([^";]+)"?/i);
  return match?.[1] ?? `bookmarks.${format === "jsonl" ? "jsonl" : "html"}`;
}

/**
 * Downloads the export, reporting the bytes received so far: the file is streamed with no
 * length, so a byte count is the only progress there is.
 */
export async function downloadExport(
  api: Api,
  format: FileFormat,
  onProgress: (bytes: number) => void,
  signal?: AbortSignal,
): Promise<ExportFile> {
  const response = await api.response("GET", "/api/v1/exports", {
    query: { format },
    headers: { accept: "*/*" },
    signal,
  });
  const type = response.headers.get("content-type") ?? "application/octet-stream";
  const fileName = fileNameOf(response.headers.get("content-disposition"), format);
  const reader = response.body?.getReader();
  if (!reader) return { blob: new Blob([await response.arrayBuffer()], { type }), fileName };
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.byteLength;
    onProgress(received);
  }
  // A fetch body's chunks are never backed by a SharedArrayBuffer, which is all the DOM
  // typings' Uint8Array<ArrayBufferLike> leaves open.
  return { blob: new Blob(chunks as BlobPart[], { type }), fileName };
}
