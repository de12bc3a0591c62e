// The add and edit form: the same fields, the API's errors shown next to the field they concern.
import { useEffect, useId, useMemo, useRef, useState, type FormEvent, type ReactNode } from "react";
import { parseTags, type Bookmark, type BookmarkInput } from "../api/bookmarks";
import { listCollections } from "../api/collections";
import { useApi } from "../auth/AuthProvider";
import { useAction } from "../hooks/useAction";
import { useLoad } from "../hooks/useLoad";
import { DuplicateHint } from "./bookmarks/DuplicateHint";
import { FIELDS, formErrorsOf, type Field } from "./bookmarks/formErrors";
import { FormActions } from "./FormActions";
import { ProblemMessage } from "./ProblemMessage";

interface Props {
  /** The bookmark being edited; absent when adding one. */
  initial?: Bookmark;
  submitLabel: string;
  /** Saves the values; a thrown ApiError is shown on the form. */
  onSubmit: (values: BookmarkInput) => Promise<void>;
  onCancel?: () => void;
  /** Put the cursor in the first field on mount (when the form replaced what had focus). */
  autoFocus?: boolean;
}

interface ControlProps {
  id: string;
  name: Field;
  "aria-invalid": true | undefined;
  "aria-describedby": string | undefined;
}

interface Values {
  url: string;
  title: string;
  description: string;
  notes: string;
  tags: string;
  collectionId: string;
  unread: boolean;
  favorite: boolean;
  archived: boolean;
}

function valuesOf(bookmark: Bookmark | undefined): Values {
  return {
    url: bookmark?.url ?? "",
    title: bookmark?.title ?? "",
    description: bookmark?.description ?? "",
    notes: bookmark?.notes ?? "",
    tags: bookmark?.tags.join(" ") ?? "",
    collectionId: bookmark?.collection_id ?? "",
    unread: bookmark?.unread ?? false,
    favorite: bookmark?.favorite ?? false,
    archived: bookmark?.archived ?? false,
  };
}

/** The fields an edit changed, so a PATCH leaves alone what someone else may have changed. */
export function changedFields(before: Bookmark, after: BookmarkInput): Partial<BookmarkInput> {
  const change: Partial<BookmarkInput> = {};
  if (after.url !== before.url) change.url = after.url;
  for (const key of ["title", "description", "notes"] as const) {
    if (after[key] !== undefined && after[key] !== before[key]) change[key] = after[key];
  }
  const tags = after.tags ?? [];
  if (tags.join("\n") !== before.tags.join("\n")) change.tags = tags;
  if (after.collection_id !== undefined && after.collection_id !== before.collection_id) {
    change.collection_id = after.collection_id;
  }
  for (const key of ["unread", "favorite", "archived"] as const) {
    if (after[key] !== undefined && after[key] !== before[key]) change[key] = after[key];
  }
  return change;
}

export function BookmarkForm({ initial, submitLabel, onSubmit, onCancel, autoFocus = false }: Props) {
  const id = useId();
  const api = useApi();
  // Only collections the user may put bookmarks in: their own and those shared as editor.
  const collections = useLoad(
    (signal) => listCollections(api, signal).then((all) => all.filter((one) => one.role !== "viewer")),
    [api],
  );
  const form = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState<Values>(() => valuesOf(initial));
  const { busy, error, run } = useAction();
  const errors = useMemo(() => formErrorsOf(error), [error]);
  const adding = initial === undefined;

  useEffect(() => {
    if (autoFocus) form.current?.querySelector<HTMLElement>('[name="url"]')?.focus();
  }, [autoFocus]);

  // After a refused save, take the reader to the first field to fix.
  useEffect(() => {
    const first = FIELDS.find((field) => errors.fields[field]);
    if (first) form.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
  }, [errors]);

  const set = <K extends keyof Values>(key: K, value: Values[K]) => setValues((current) => ({ ...current, [key]: value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(() =>
      onSubmit({
        url: values.url.trim(),
        title: values.title.trim(),
        description: values.description.trim(),
        notes: values.notes,
        tags: parseTags(values.tags),
        collection_id: values.collectionId || null,
        unread: values.unread,
        favorite: values.favorite,
        archived: values.archived,
      }),
    );
  }

  /** A labelled control with its hint and error beside (not inside) the label, so the field's
   *  name stays short and the error is read as its description. */
  const field = (name: Field, label: string, control: (props: ControlProps) => ReactNode, hint?: string) => {
    const message: ReactNode = errors.fields[name];
    const hintId = hint ? `${id}-${name}-hint` : undefined;
    const errorId = message ? `${id}-${name}-error` : undefined;
    return (
      <div className="field">
        <label htmlFor={`${id}-${name}`}>{label}</label>
        {hint && (
          <small id={hintId} className="field-hint">
            {hint}
          </small>
        )}
        {control({
          id: `${id}-${name}`,
          name,
          "aria-invalid": message ? true : undefined,
          "aria-describedby": [hintId, errorId].filter(Boolean).join(" ") || undefined,
        })}
        {message && (
          <span id={errorId} className="field-error">
            {message}
          </span>
        )}
      </div>
    );
  };
  const fieldCount = Object.keys(errors.fields).length;

  return (
    <form ref={form} className="bookmark-form" onSubmit={submit} noValidate aria-busy={busy}>
      {fieldCount > 0 && (
        <p role="alert" className="problem">
          {fieldCount === 1 ? "Check the field marked below." : "Check the fields marked below."}
        </p>
      )}
      <ProblemMessage error={errors.general} />
      {field("url", "URL", (props) => (
        <input
          {...props}
          type="text"
          inputMode="url"
          autoComplete="url"
          required
          maxLength={2048}
          value={values.url}
          onChange={(event) => set("url", event.target.value)}
        />
      ))}
      {adding && <DuplicateHint url={values.url} />}
      {field(
        "title",
        "Title",
        (props) => <input {...props} maxLength={512} value={values.title} onChange={(event) => set("title", event.target.value)} />,
        "Optional: the page's own title is shown when this is empty.",
      )}
      {field("description", "Description", (props) => (
        <textarea {...props} maxLength={4096} value={values.description} onChange={(event) => set("description", event.target.value)} />
      ))}
      {field("notes", "Notes", (props) => (
        <textarea {...props} maxLength={65536} value={values.notes} onChange={(event) => set("notes", event.target.value)} />
      ))}
      {field(
        "tags",
        "Tags",
        (props) => <input {...props} autoCapitalize="none" value={values.tags} onChange={(event) => set("tags", event.target.value)} />,
        "Separated by spaces or commas.",
      )}
      {field("collection_id", "Collection", (props) => (
        <select {...props} value={values.collectionId} onChange={(event) => set("collectionId", event.target.value)}>
          <option value="">None (only you)</option>
          {values.collectionId && !collections.data?.some((one) => one.id === values.collectionId) && (
            <option value={values.collectionId}>The current collection</option>
          )}
          {collections.data?.map((one) => (
            <option key={one.id} value={one.id}>
              {one.name}
              {one.role === "editor" ? " (shared with you)" : ""}
            </option>
          ))}
        </select>
      ))}
      <fieldset className="bookmark-flags">
        <legend>Status</legend>
        <label className="check">
          <input type="checkbox" checked={values.unread} onChange={(event) => set("unread", event.target.checked)} />
          Unread
        </label>
        <label className="check">
          <input type="checkbox" checked={values.favorite} onChange={(event) => set("favorite", event.target.checked)} />
          Favorite
        </label>
        <label className="check">
          <input type="checkbox" checked={values.archived} onChange={(event) => set("archived", event.target.checked)} />
          Archived <small>(done with it; kept out of the way)</small>
        </label>
      </fieldset>
      <div className="toolbar">
        <FormActions busy={busy} submitLabel={submitLabel} onCancel={onCancel} />
      </div>
    </form>
  );
}
