/**
 * A contract (PROTOCOL.md §10): where it was created from the index, its
 * code hash and balances as a replica holds them at its tip, and its events.
 * Balances of a contract are public; the notes it paid out are not.
 */

import type { Bindings } from "../../api/context.ts";
import { indexedAsset } from "../../api/routes/assets.ts";
import { contractEventsPage, contractInfo } from "../../api/routes/contracts.ts";
import { formatAmount } from "../../cli/amount.ts";
import { toHex } from "../../codec/bytes.ts";
import { Field, Page, PrivacyNote, Table } from "../layout.tsx";
import { AssetLink, BlockLink, TxLink } from "../links.tsx";
import { indexedContract } from "../queries.ts";

/** The newest events a contract page lists. */
const EVENTS_SHOWN = 50;

export async function loadContract(env: Bindings, text: string, bytes: Uint8Array) {
  const hex = toHex(bytes);
  const [row, events] = await Promise.all([
    indexedContract(env, { address: hex }),
    contractEventsPage(env, hex, 0, EVENTS_SHOWN),
  ]);
  // The state comes from a replica; the page still shows what the index holds when none answers.
  const state = await contractInfo(env, bytes).catch(() => undefined);
  if (!row && !state) {
    return undefined;
  }
  const assets = await Promise.all((state?.balances ?? []).map((b) => indexedAsset(env, b.asset)));
  const decimals = new Map(assets.flatMap((a) => (a ? [[a.id, a.decimals] as const] : [])));
  return { text, row, state, decimals, events: events.events, more: events.next !== null };
}

type Loaded = NonNullable<Awaited<ReturnType<typeof loadContract>>>;

export function ContractPage(props: { data: Loaded }) {
  const { text, row, state, events } = props.data;
  return (
    <Page title="Contract">
      <PrivacyNote />
      <dl class="fields">
        <Field name="Address">
          <code>{text}</code>
        </Field>
        <Field name="EVM address">
          <code>{state?.evmAddress ?? (row ? `0x${row.evm}` : "—")}</code>
        </Field>
        <Field name="Created">
          {row ? (
            <>
              block <BlockLink height={row.height} /> by <TxLink id={row.txId} />
            </>
          ) : (
            `block ${state?.createdAt}`
          )}
        </Field>
        <Field name="Code hash">{state ? <code>{state.codeHash}</code> : <span class="muted">unavailable</span>}</Field>
      </dl>
      <h2>Balances</h2>
      {state === undefined || state === null ? (
        <p class="muted">Unavailable: no validator could report its state.</p>
      ) : state.balances.length === 0 && state.tickets.length === 0 ? (
        <p class="muted">None.</p>
      ) : (
        <ul class="ids">
          {state.balances.map((b) => (
            <li>
              {formatAmount(BigInt(b.amount), props.data.decimals.get(b.asset) ?? 0)}{" "}
              <AssetLink id={b.asset} label={b.name} />
            </li>
          ))}
          {state.tickets.map((t) => (
            <li>
              ticket <code>{t.ticketId}</code> of <AssetLink id={t.category} label={t.name} />
            </li>
          ))}
        </ul>
      )}
      <h2>Events</h2>
      {events.length === 0 ? (
        <p class="muted">None.</p>
      ) : (
        <Table caption="Events" head={["Block", "Transaction", "Topics", "Data"]}>
          {events.map((e) => (
            <tr>
              <td>
                <BlockLink height={e.height} />
              </td>
              <td>
                <TxLink id={e.txId} />
              </td>
              <td class="mono">{e.topics.map((t) => t.slice(0, 16)).join(" ")}</td>
              <td class="mono">{e.data.length > 64 ? `${e.data.slice(0, 64)}…` : e.data || "—"}</td>
            </tr>
          ))}
        </Table>
      )}
      {props.data.more ? <p class="muted">The first {EVENTS_SHOWN} events are shown.</p> : null}
    </Page>
  );
}
