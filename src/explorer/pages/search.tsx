/** A search that names more than one thing: a token and a ticket category sharing a name (PROTOCOL.md §4). */
import type { toAsset } from "../../api/routes/assets.ts";
import { Page } from "../layout.tsx";
import { AssetLink } from "../links.tsx";

export function SearchResults(props: { query: string; assets: ReturnType<typeof toAsset>[] }) {
  return (
    <Page title={`Results for ${props.query}`} query={props.query}>
      <ul>
        {props.assets.map((a) => (
          <li>
            {a.kind === "token" ? "Token" : "Ticket category"} <AssetLink id={a.id} label={a.name} />
          </li>
        ))}
      </ul>
    </Page>
  );
}
