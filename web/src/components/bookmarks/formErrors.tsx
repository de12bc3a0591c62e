import type { ReactNode } from "react";
import { Link } from "react-router";
import { duplicateOf } from "../../api/bookmarks";
import { ApiError } from "../../api/client";

export type Field = "url" | "title" | "description" | "notes" | "tags" | "collection_id";
export const FIELDS: Field[] = ["url", "title", "description", "notes", "tags", "collection_id"];

export interface FormErrors {
  fields: Partial<Record<Field, ReactNode>>;
  /** What belongs to no single field (a network failure, a 412...). */
  general: unknown;
}

// Domain checks answer 422 with a code and no field list; these codes name the field they judge.
const FIELD_OF_CODE: Record<string, Field> = { invalid_url: "url", invalid_tag: "tags" };

function fieldOfKey(key: string | undefined): Field | null {
  const name = (key ?? "").replace(/\[.*$/, ""); // "tags[3]" is the tags field
  return (FIELDS as string[]).includes(name) ? (name as Field) : null;
}

/** Spread an API error over the form: per-field messages where the problem says which field. */
export function formErrorsOf(error: unknown): FormErrors {
  if (!(error instanceof ApiError)) return { fields: {}, general: error };
  const existing = duplicateOf(error);
  if (existing) {
    return {
      fields: {
        url: (
          <>
            {error.message} <Link to={`/bookmarks/${existing}`}>Open the saved bookmark</Link>
          </>
        ),
      },
      general: null,
    };
  }
  const fields: FormErrors["fields"] = {};
  let unplaced = false;
  for (const entry of error.problem?.errors ?? []) {
    const field = fieldOfKey(entry.key);
    if (field) fields[field] = fields[field] ? `${fields[field]} ${entry.message}` : entry.message;
    else unplaced = true;
  }
  const byCode = FIELD_OF_CODE[error.code];
  if (byCode && !fields[byCode]) fields[byCode] = error.message;
  const placed = Object.keys(fields).length > 0;
  return { fields, general: placed && !unplaced ? null : error };
}
