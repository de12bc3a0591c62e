import type { FileFormat } from "../../api/imports";

/** The format a file's name suggests; the reader can still change it. */
export function guessFormat(fileName: string): FileFormat {
  return /\.(jsonl|ndjson|json)$/i.test(fileName) ? "jsonl" : "netscape";
}

// Past this the file is not read a second time in the browser just to estimate a total.
const MAX_ESTIMATE_BYTES = 64 * 1024 * 1024;

/**
 * About how many entries the file holds. The job reports what it has processed but not the
 * total, so this is what turns its counts into a fraction for the progress bar. Null when
 * the file cannot be read here.
 */
export async function estimateEntries(file: File, format: FileFormat): Promise<number | null> {
  if (file.size > MAX_ESTIMATE_BYTES || typeof file.text !== "function") return null;
  try {
    const text = await file.text();
    const count =
      format === "jsonl"
        ? text.split("\n").filter((line) => line.trim() !== "").length
        : (text.match(/<a\s[^>]*href\s*=/gi) ?? []).length;
    return count > 0 ? count : null;
  } catch {
    return null;
  }
}
