/**
 * One transaction: what its canonical encoding and the ledger's receipt make
 * public (PROTOCOL.md §8): kind, status or rejection code, nullifiers, the
 * commitments it added, fee, proof size; for issuance and genesis the issued
 * values (§8.4); for deploys and calls the contract, the caller's EVM address,
 * gas, outcome and the payouts' public asset and amount (§10). Never a
 * shielded output's asset, amount, owner or memo, which only its ciphertext holds.
 */

import type { Bindings } from "../../api/context.ts";
import { txPresence } from "../../api/replicas.ts";
import { indexedAsset } from "../../api/routes/assets.ts";
import { contractOutcome, indexedTransaction } from "../../api/routes/transactions.ts";
import { formatAmount } from "../../cli/amount.ts";
import { fromHex, toHex } from "../../codec/bytes.ts";
import { evmAddressOfCaller } from "../../contracts/addresses.ts";
import { SERO_ASSET_ID } from "../../protocol/asset.ts";
import { type Fr, frToBytes } from "../../protocol/field.ts";
import { encodeText } from "../../protocol/text.ts";
import { decodeTransaction } from "../../protocol/tx/codec.ts";
import { type IssuedOutput, shieldedSpendOf, type Transaction } from "../../protocol/tx/types.ts";
import { bytesSize, sero, tokenAmount } from "../format.ts";
import { Field, Page, PrivacyNote, Table } from "../layout.tsx";
import { AssetLink, BlockLink, ContractLink, NullifierLink, TxStatusBadge } from "../links.tsx";
import { commitmentsOf, payoutsOf } from "../queries.ts";

const fe = (x: Fr) => toHex(frToBytes(x));

type Asset = NonNullable<Awaited<ReturnType<typeof indexedAsset>>>;

/** A value whose asset and amount are public: issued (§8.4), opened (§10.3) or paid by a contract (§10.4). */
type PublicValue = { readonly kind: "token" | "ticket"; readonly ref: string; readonly value: Uint8Array };

async function assetsOf(env: Bindings, values: readonly PublicValue[]): Promise<Map<string, Asset>> {
  const refs = [...new Set(values.map((v) => v.ref))];
  const found = await Promise.all(refs.map((ref) => indexedAsset(env, ref)));
  return new Map(found.flatMap((a) => (a ? [[a.id, a] as const] : [])));
}

/** Everything the tx page shows, or where the transaction is when the index does not hold it yet. */
export async function loadTransaction(env: Bindings, id: string) {
  const row = await indexedTransaction(env, id);
  if (!row) {
    const presence = await txPresence(env, id);
    return presence.status === "unknown" ? undefined : { kind: "unindexed" as const, id, presence };
  }
  let tx: Transaction | null = null;
  try {
    tx = decodeTransaction(new Uint8Array(row.body));
  } catch {
    // Bytes that did not decode are recorded as rejected with their code (kind null); shown as such.
  }
  const [commitments, payouts] = await Promise.all([commitmentsOf(env, id), payoutsOf(env, id)]);
  const paid = payouts.map((p): PublicValue & { position: number } => ({
    position: p.position,
    kind: p.assetKind,
    ref: p.assetRef,
    value: fromHex(p.value) as Uint8Array,
  }));
  const issued = tx ? issuedValues(tx) : [];
  const opened = tx ? openedValues(tx) : [];
  const assets = await assetsOf(env, [...paid, ...issued, ...opened]);
  return { kind: "indexed" as const, row, tx, commitments, paid, issued, assets, size: row.body.length };
}

/** The issued outputs' public values (§8.4): genesis issues SERO, an issuance its own asset. */
function issuedValues(tx: Transaction): PublicValue[] {
  const as = (kind: "token" | "ticket", ref: Fr) => (o: IssuedOutput) => ({ kind, ref: fe(ref), value: o.value });
  if (tx.kind === "genesis") {
    return tx.outputs.map(as("token", SERO_ASSET_ID));
  }
  return tx.kind === "issue" ? tx.outputs.map(as(tx.assetKind, tx.assetRef)) : [];
}

/** The value a deploy or call brings in its opened output (§10.3), if any. */
function openedValues(tx: Transaction): PublicValue[] {
  const opening = (tx.kind === "deploy" || tx.kind === "call") && tx.value;
  return opening ? [{ kind: opening.assetKind, ref: fe(opening.assetRef), value: opening.value }] : [];
}

function ValueText(props: { v: PublicValue; assets: Map<string, Asset> }) {
  const asset = props.assets.get(props.v.ref);
  const label = asset?.name;
  if (props.v.kind === "ticket") {
    return (
      <>
        ticket <code>{toHex(props.v.value)}</code> of <AssetLink id={props.v.ref} {...(label ? { label } : {})} />
      </>
    );
  }
  const amount = tokenAmount(props.v.value);
  return (
    <>
      {asset ? formatAmount(amount, asset.decimals) : `${amount} base units`}{" "}
      <AssetLink id={props.v.ref} {...(label ? { label } : {})} />
    </>
  );
}

type Loaded = NonNullable<Awaited<ReturnType<typeof loadTransaction>>>;
type Indexed = Extract<Loaded, { kind: "indexed" }>;

function KindFields(props: { data: Indexed }) {
  const { tx, row } = props.data;
  if (tx === null) {
    return null;
  }
  switch (tx.kind) {
    case "register": {
      const r = tx.registration;
      return (
        <>
          <Field name="Registers">
            {r.assetKind} <strong>{r.name}</strong>
          </Field>
          <Field name="Decimals">{r.decimals}</Field>
          <Field name="Issuer key">
            <code>{toHex(r.issuer)}</code>
          </Field>
          <Field name="Supply">
            {r.supply.kind === "capped" ? `capped at ${r.supply.cap} base units` : "unlimited"}
          </Field>
        </>
      );
    }
    case "issue":
      return (
        <>
          <Field name="Asset">
            <AssetLink id={fe(tx.assetRef)} {...labelOf(props.data, fe(tx.assetRef))} /> ({tx.assetKind})
          </Field>
          <Field name="Issuance nonce">{tx.nonce.toString()}</Field>
        </>
      );
    case "deploy":
    case "call": {
      const outcome = row.outcome === null ? null : contractOutcome(row);
      const contract = tx.kind === "call" ? encodeText("contractAddress", tx.contract) : outcome?.contract;
      return (
        <>
          <Field name={tx.kind === "deploy" ? "Created contract" : "Contract"}>
            {contract ? <ContractLink address={contract} /> : <span class="muted">none</span>}
          </Field>
          <Field name="Caller (EVM)">
            <code>0x{toHex(evmAddressOfCaller(tx.caller))}</code>
          </Field>
          <Field name="Gas limit">{tx.gasLimit.toString()}</Field>
          <Field name="Gas used">{outcome?.gasUsed ?? "—"}</Field>
          <Field name="Outcome">{outcome ? <code>{outcome.code}</code> : "—"}</Field>
          <Field name={tx.kind === "deploy" ? "Init code" : "Calldata"}>
            {bytesSize(tx.kind === "deploy" ? tx.initCode.length : tx.calldata.length)}
          </Field>
          <Field name="Value brought">
            {openedValues(tx).map((v) => (
              <ValueText v={v} assets={props.data.assets} />
            ))}
            {tx.value ? null : "none"}
          </Field>
        </>
      );
    }
    default:
      return null;
  }
}

function labelOf(data: Indexed, ref: string): { label?: string } {
  const name = data.assets.get(ref)?.name;
  return name === undefined ? {} : { label: name };
}

function IndexedTx(props: { data: Indexed }) {
  const { data } = props;
  const { row, tx } = data;
  const spend = tx && tx.kind !== "genesis" ? shieldedSpendOf(tx) : null;
  return (
    <>
      <dl class="fields">
        <Field name="Id">
          <code>{row.id}</code>
        </Field>
        <Field name="Kind">{row.kind ?? "undecodable bytes"}</Field>
        <Field name="Status">
          <TxStatusBadge status={row.status} code={row.code} />
        </Field>
        <Field name="Block">
          <BlockLink height={row.height} />, position {row.position}
        </Field>
        <Field name="Size">{bytesSize(data.size)}</Field>
        {spend ? (
          <>
            <Field name="Fee">{sero(spend.fee)}</Field>
            <Field name="Proof">{bytesSize(spend.proof.length)}</Field>
            <Field name="Anchor">
              <code>{fe(spend.anchor)}</code>
            </Field>
          </>
        ) : null}
        <KindFields data={data} />
      </dl>
      {spend ? (
        <>
          <h2>Nullifiers</h2>
          <ul class="ids">
            {spend.nullifiers.map((nf) => (
              <li>
                <NullifierLink nf={fe(nf)} />
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2>Commitments</h2>
      {data.commitments.length === 0 ? (
        <p class="muted">
          {row.status === "committed" ? "None." : "None: a rejected transaction adds nothing to the tree."}
        </p>
      ) : (
        <Table caption="Commitments added to the tree" head={["Tree position", "Commitment"]}>
          {data.commitments.map((c) => (
            <tr>
              <td>{c.position}</td>
              <td class="mono wrap">{c.commitment}</td>
            </tr>
          ))}
        </Table>
      )}
      {data.issued.length > 0 ? (
        <>
          <h2>Issued values (public)</h2>
          <ul class="ids">
            {data.issued.map((v) => (
              <li>
                <ValueText v={v} assets={data.assets} />
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {data.paid.length > 0 ? (
        <>
          <h2>Contract payouts (public asset and amount)</h2>
          <Table caption="Payouts" head={["Tree position", "Value"]}>
            {data.paid.map((p) => (
              <tr>
                <td>{p.position}</td>
                <td>
                  <ValueText v={p} assets={data.assets} />
                </td>
              </tr>
            ))}
          </Table>
        </>
      ) : null}
    </>
  );
}

export function TxPage(props: { data: Loaded }) {
  const { data } = props;
  return (
    <Page title="Transaction">
      <PrivacyNote />
      {data.kind === "indexed" ? (
        <IndexedTx data={data} />
      ) : (
        <dl class="fields">
          <Field name="Id">
            <code>{data.id}</code>
          </Field>
          <Field name="Status">
            <TxStatusBadge status={data.presence.status} code={"code" in data.presence ? data.presence.code : null} />
          </Field>
          <Field name="Note">Not in the index yet: shown as the validators hold it. This page does not refresh.</Field>
        </dl>
      )}
    </Page>
  );
}
