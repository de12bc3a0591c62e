import type { ReactNode } from "react";

/** A table's header row. Every cell is a column header (scope="col"), so a screen reader names
 *  each body cell by its column; keeping that in one place keeps every table consistent. */
export function TableHead({ columns }: { columns: ReactNode[] }) {
  return (
    <thead>
      <tr>
        {columns.map((column, index) => (
          // The columns of a table are fixed, so their position is a stable key.
          <th key={index} scope="col">
            {column}
          </th>
        ))}
      </tr>
    </thead>
  );
}
