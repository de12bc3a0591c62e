import type { Collection } from "../../api/collections";
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
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Description</th>
          <th scope="col">Your role</th>
          <th scope="col">Public</th>
          <th scope="col">Actions</th>
        </tr>
      </thead>
      <tbody>
        {collections.map((collection) => (
          <CollectionRow key={collection.id} collection={collection} onChanged={onChanged} />
        ))}
      </tbody>
    </table>
  );
}
