import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ImportJob } from "../api/imports";
import { FakeServer, json, renderPage } from "../test/fakeServer";
import ImportExport from "./ImportExport";

// jsdom's Blob has no text(); browsers have had it for years.
if (!("text" in Blob.prototype)) {
  Object.defineProperty(Blob.prototype, "text", {
    value(this: Blob) {
      return new Promise<string>((resolve) => {
        const reader = new FileReader();
        reader.onload = () => resolve(String(reader.result));
        reader.readAsText(this);
      });
    },
  });
}

function job(status: ImportJob["status"], report: Partial<ImportJob["report"]> = {}): ImportJob {
  return {
    id: "job-1",
    status,
    file_name: "mine.jsonl",
    created_at: "2026-01-01T10:00:00Z",
    finished_at: status === "done" ? "2026-01-01T10:00:05Z" : null,
    report: { created: 0, updated: 0, skipped: 0, invalid_count: 0, invalid: [], ...report },
    error: null,
  };
}

const FILE_TEXT = ['{"url":"https://a.example"}', "not json", '{"url":"https://b.example"}', '{"url":"https://c.example"}'].join("\n");

describe("ImportExport", () => {
  afterEach(() => vi.restoreAllMocks());

  it("shows progress while the import runs, then the final counts and the invalid lines", async () => {
    const server = new FakeServer();
    let release = () => {};
    const finished = new Promise<void>((resolve) => (release = resolve));
    let polls = 0;
    server.on("POST /api/v1/imports", () => json(job("queued"), 202));
    server.on("GET /api/v1/imports/job-1", async () => {
      polls += 1;
      if (polls === 1) return json(job("running", { created: 1, invalid_count: 1 }));
      await finished; // the test looks at the running state before the job may end
      return json(
        job("done", {
          created: 3,
          invalid_count: 1,
          invalid: [{ position: 2, reason: "JSON is malformed", url: "" }],
        }),
      );
    });
    const user = userEvent.setup();
    renderPage(server, <ImportExport />);

    await user.upload(await screen.findByLabelText("Bookmark file"), new File([FILE_TEXT], "mine.jsonl"));
    expect(screen.getByLabelText("File format")).toHaveValue("jsonl"); // guessed from the name
    await user.selectOptions(screen.getByLabelText("Links you already saved"), "update");
    await user.click(screen.getByRole("button", { name: "Import" }));

    await waitFor(() => expect(server.callsTo("POST /api/v1/imports")).toHaveLength(1));
    const sent = server.callsTo("POST /api/v1/imports")[0].body as FormData;
    expect(sent).toBeInstanceOf(FormData);
    expect((sent.get("file") as File).name).toBe("mine.jsonl");
    expect(sent.get("format")).toBe("jsonl");
    expect(sent.get("mode")).toBe("update");

    const importSection = screen.getByRole("region", { name: "Import" });
    expect(
      await within(importSection).findByText("Importing mine.jsonl: 2 of about 4 entries processed."),
    ).toHaveAttribute("role", "status");
    const bar = within(importSection).getByRole("progressbar", { name: "Import progress" });
    expect(bar).toHaveAttribute("value", "2");
    expect(bar).toHaveAttribute("max", "4");

    release();
    expect(
      await within(importSection).findByText(
        "Import of mine.jsonl finished: 3 created, 0 updated, 0 skipped, 1 invalid.",
        {},
        { timeout: 3000 },
      ),
    ).toBeInTheDocument();
    expect(bar).toHaveAttribute("value", "1");
    expect(bar).toHaveAttribute("max", "1");
    const created = within(importSection).getByText("Created").parentElement as HTMLElement;
    expect(created).toHaveTextContent("Created3");
    const row = within(screen.getByRole("table", { name: "Entries not imported" })).getByRole("row", { name: /2/ });
    expect(row).toHaveTextContent("JSON is malformed");
    const pollsAtEnd = polls;
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(polls).toBe(pollsAtEnd); // a finished job is not polled again
  });

  it("downloads the export as a file, showing the bytes received while it streams", async () => {
    const server = new FakeServer();
    let push: (text: string) => void = () => {};
    let end = () => {};
    server.on("GET /api/v1/exports", () => {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          push = (text) => controller.enqueue(new TextEncoder().encode(text));
          end = () => controller.close();
        },
      });
      return new Response(body, {
        headers: {
          "content-type": "application/x-ndjson",
          "content-disposition": 'attachment; filename="bookmarks-2026-01-01.jsonl"',
        },
      });
    });
    const saved: { name: string; blob: Blob }[] = [];
    const blobs = new Map<string, Blob>();
    // jsdom has no object URLs; these stand in, remembering which blob each URL names.
    Object.assign(URL, {
      createObjectURL: (blob: Blob) => {
        blobs.set("blob:1", blob);
        return "blob:1";
      },
      revokeObjectURL: () => {},
    });
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      saved.push({ name: this.download, blob: blobs.get(this.getAttribute("href") ?? "") as Blob });
    });
    const user = userEvent.setup();
    renderPage(server, <ImportExport />);
    const exportSection = await screen.findByRole("region", { name: "Export" });

    await user.selectOptions(within(exportSection).getByLabelText("Export format"), "jsonl");
    await user.click(within(exportSection).getByRole("button", { name: "Download export" }));
    expect(server.callsTo("GET /api/v1/exports")[0].query.get("format")).toBe("jsonl");
    push('{"url":"x"}\n');
    expect(await within(exportSection).findByText("Downloading… 12 bytes received.")).toBeInTheDocument();
    expect(within(exportSection).getByRole("progressbar", { name: "Export progress" })).toBeInTheDocument();
    expect(exportSection.querySelector("[aria-busy='true']")).not.toBeNull();

    push('{"url":"y"}\n');
    end();
    expect(await within(exportSection).findByText("Downloaded bookmarks-2026-01-01.jsonl (24 bytes).")).toBeInTheDocument();
    expect(saved).toHaveLength(1);
    expect(saved[0].name).toBe("bookmarks-2026-01-01.jsonl");
    expect(await saved[0].blob.text()).toBe('{"url":"x"}\n{"url":"y"}\n');
    expect(exportSection.querySelector("[aria-busy='true']")).toBeNull();
  });
});
