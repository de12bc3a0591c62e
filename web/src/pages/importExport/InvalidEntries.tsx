import type { ImportReport } from "../../api/imports";
import { TableHead } from "../../components/TableHead";

/** The entries the import refused, with why (the API sends the first ones only). */
export function InvalidEntries({ report }: { report: ImportReport }) {
  if (report.invalid.length === 0) return null;
  const partial = report.invalid.length < report.invalid_count;
  return (
    <>
      <h4 id="invalid-entries-title">Entries not imported</h4>
      {partial && (
        <p className="muted">
          The first {report.invalid.length} of {report.invalid_count}.
        </p>
      )}
      <table aria-labelledby="invalid-entries-title">
        <TableHead columns={["Entry", "Link", "Why"]} />
        <tbody>
          {report.invalid.map((entry) => (
            <tr key={entry.position}>
              <th scope="row">{entry.position}</th>
              <td className="break">{entry.url || <span className="muted">—</span>}</td>
              <td>{entry.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
