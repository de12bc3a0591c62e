/** Hands a downloaded file to the browser's own download through a temporary link. */
export function saveFile(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Not at once: some browsers start reading the URL only after the click has returned.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
