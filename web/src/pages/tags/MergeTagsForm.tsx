import { useId, useState, type FormEvent } from "react";
import { mergeTags } from "../../api/bookmarks";
import { useApi } from "../../auth/AuthProvider";
import { FormActions } from "../../components/FormActions";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useAction } from "../../hooks/useAction";

interface Props {
  sources: string[];
  /** Every tag name, offered as suggestions for the target. */
  names: string[];
  onMerged: (message: string) => void;
}

/** Merge the checked tags into one (an existing tag or a new name). */
export function MergeTagsForm({ sources, names, onMerged }: Props) {
  const api = useApi();
  const id = useId();
  const [into, setInto] = useState("");
  const { busy, error, run } = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const target = into.trim().replace(/^#/, "");
    if (!target) return;
    await run(async () => {
      const { changed } = await mergeTags(api, sources, target);
      setInto("");
      onMerged(`Merged ${sources.map((name) => `#${name}`).join(", ")} into #${target} (${changed} ${changed === 1 ? "bookmark" : "bookmarks"} changed).`);
    });
  }

  return (
    <form className="inline merge-tags" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <p id={`${id}-title`} className="merge-title">
        Merge {sources.length} selected {sources.length === 1 ? "tag" : "tags"}:{" "}
        {sources.map((name) => `#${name}`).join(", ")}
      </p>
      <label>
        Into tag
        <input
          required
          maxLength={64}
          autoCapitalize="none"
          list={`${id}-names`}
          value={into}
          onChange={(event) => setInto(event.target.value)}
        />
      </label>
      <datalist id={`${id}-names`}>
        {names.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
      <FormActions busy={busy} submitLabel="Merge" />
      <ProblemMessage error={error} />
    </form>
  );
}
