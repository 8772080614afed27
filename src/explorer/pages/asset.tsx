/**
 * An asset: what its registration made public (PROTOCOL.md §4) and its issued
 * supply over time, from the committed issuances' public values (§8.4).
 * Where its notes went afterwards is shielded.
 */

import type { Bindings } from "../../api/context.ts";
import type { indexedAsset } from "../../api/routes/assets.ts";
import { formatAmount } from "../../cli/amount.ts";
import { toHex } from "../../codec/bytes.ts";
import { SERO_ASSET_ID } from "../../protocol/asset.ts";
import { frToBytes } from "../../protocol/field.ts";
import { decodeTransaction } from "../../protocol/tx/codec.ts";
import { type Point, StepChart } from "../chart.tsx";
import { tokenAmount } from "../format.ts";
import { Field, Page, PrivacyNote } from "../layout.tsx";
import { committedBodies, MAX_CHARTED_ISSUANCES } from "../queries.ts";

type Asset = NonNullable<Awaited<ReturnType<typeof indexedAsset>>>;

const SERO_ID = toHex(frToBytes(SERO_ASSET_ID));

/**
 * Cumulative issued amount (tokens) or ticket count after each block with a
 * committed issuance. Value minted by contracts (PROTOCOL.md §10) has no
 * transaction of its own to date it by, and issuances beyond the charted ones
 * are left out: whatever the points miss is added at `tip`, so the chart ends
 * at the asset's registered total.
 */
export async function issuanceHistory(env: Bindings, asset: Asset, tip: number): Promise<Point[]> {
  const kinds: ("issue" | "genesis")[] = asset.id === SERO_ID ? ["genesis", "issue"] : ["issue"];
  const points: Point[] = [];
  let total = 0n;
  for (const row of await committedBodies(env, kinds, MAX_CHARTED_ISSUANCES)) {
    const tx = decodeTransaction(new Uint8Array(row.body));
    const ours = tx.kind === "genesis" || (tx.kind === "issue" && toHex(frToBytes(tx.assetRef)) === asset.id);
    if (!ours || (tx.kind === "issue" && tx.assetKind !== asset.kind)) {
      continue;
    }
    total += tx.outputs.reduce((sum, o) => sum + (asset.kind === "token" ? tokenAmount(o.value) : 1n), 0n);
    const last = points.at(-1);
    if (last?.x === row.height) {
      points[points.length - 1] = { x: row.height, y: total };
    } else {
      points.push({ x: row.height, y: total });
    }
  }
  const issued = BigInt(asset.issued);
  if (total !== issued && tip >= (points.at(-1)?.x ?? 0)) {
    points.push({ x: tip, y: issued });
  }
  return points;
}

export function AssetPage(props: { asset: Asset; history: Point[] }) {
  const { asset } = props;
  const amount = (v: string | bigint) =>
    asset.kind === "token" ? `${formatAmount(BigInt(v), asset.decimals)} ${asset.name}` : `${v} tickets`;
  return (
    <Page title={`${asset.kind === "token" ? "Token" : "Ticket category"} ${asset.name}`}>
      <PrivacyNote />
      <dl class="fields">
        <Field name={asset.kind === "token" ? "Symbol" : "Category"}>{asset.name}</Field>
        <Field name="Id">
          <code>{asset.id}</code>
        </Field>
        <Field name="Decimals">{asset.decimals}</Field>
        <Field name="Issuer key">
          <code>{asset.issuer}</code>
        </Field>
        <Field name="Cap">
          {asset.id === SERO_ID
            ? "fixed at genesis: nothing can issue more"
            : asset.cap === null
              ? "unlimited"
              : amount(asset.cap)}
        </Field>
        <Field name="Issued">{amount(asset.issued)}</Field>
        <Field name="Paid as fees">{amount(asset.fees)}</Field>
        <Field name="In the shielded pool">{amount(asset.supply)}</Field>
      </dl>
      <h2>Issued supply over time</h2>
      <StepChart points={props.history} label="Issued supply" xLabel={(h) => `block ${h}`} yLabel={(y) => amount(y)} />
    </Page>
  );
}
