/**
 * The one rule of every `--json` answer (README "JSON output", `sero help json`):
 * an amount is a string of base-unit digits under its own key, and the same
 * object has `display`, the same keys with the amount in the asset's decimals
 * (fees in SERO); a transaction id is `txId` (or `…TxId`); a ticket is its
 * category's name and its 64-hex `ticketId`.
 */
import { toHex } from "../codec/bytes.ts";
import { type AssetValue, SERO_DECIMALS } from "../protocol/asset.ts";
import { frToBytes } from "../protocol/field.ts";
import { formatAmount } from "./amount.ts";
import type { AssetBook } from "./assets.ts";

/** Amounts in base units with their `display` sibling: `{ fee: "1000", display: { fee: "0.000000000000001" } }`. */
export function amounts<K extends string>(
  values: Readonly<Record<K, bigint>>,
  decimals: number,
): Record<K, string> & { display: Record<K, string> } {
  const entries = Object.entries<bigint>(values);
  const base = Object.fromEntries(entries.map(([k, v]) => [k, v.toString()])) as Record<K, string>;
  const display = Object.fromEntries(entries.map(([k, v]) => [k, formatAmount(v, decimals)])) as Record<K, string>;
  return { ...base, display };
}

/** Amounts of different decimals in one object: one `display` holding them all. */
export function bothAmounts<A extends { display: object }, B extends { display: object }>(a: A, b: B) {
  return { ...a, ...b, display: { ...a.display, ...b.display } };
}

/** A fee (always SERO) as the rule has it. */
export const feeJson = (fee: bigint) => amounts({ fee }, SERO_DECIMALS);

/** A ticket's category: its registered name (as `ticket issue --category` takes it), else its hex id. */
export function categoryName(book: AssetBook, value: AssetValue & { kind: "ticket" }): string {
  return book.categoryName(value.category) ?? toHex(frToBytes(value.category));
}

/** A note's value: a token's asset, symbol and amount, or a ticket's category and id. */
export function valueJson(book: AssetBook, value: AssetValue) {
  if (value.kind === "ticket") {
    return { kind: "ticket", category: categoryName(book, value), ticketId: toHex(value.ticketId) } as const;
  }
  const { symbol, decimals } = book.nameOf(value.asset);
  return {
    kind: "token",
    asset: toHex(frToBytes(value.asset)),
    symbol,
    ...amounts({ amount: value.amount }, decimals),
  } as const;
}
