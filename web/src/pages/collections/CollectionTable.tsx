import type { Collection } from "../../api/collections";
import { TableHead } from "../../components/TableHead";
import { CollectionRow } from "./CollectionRow";

/** One table of collections; only an owner's rows offer rename and delete. */
export function CollectionTable({
  collections,
  caption,
  onChanged,
}: {
  collections: Collection[];
  caption: string;
  onChanged: (message: string) => void;
}) {
  return (
    <table>
      <caption className="visually-hidden">{caption}</caption>
      <TableHead columns={["Name", "Description", "Your role", "Public", "Actions"]} />
      <tbody>
        {collections.map((collection) => (
          <CollectionRow key={collection.id} collection={collection} onChanged={onChanged} />
        ))}
      </tbody>
    </table>
  );
}
