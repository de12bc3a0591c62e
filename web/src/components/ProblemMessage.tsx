import { ApiError } from "../api/client";

/** An error from the API (or anything thrown), as an alert the screen reader announces. */
export function ProblemMessage({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const fields = error instanceof ApiError ? (error.problem?.errors ?? []) : [];
  return (
    <div role="alert" className="problem">
      <p>{message}</p>
      {fields.length > 0 && (
        <ul>
          {fields.map((field, index) => (
            <li key={index}>
              {field.key ? <strong>{field.key}: </strong> : null}
              {field.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
