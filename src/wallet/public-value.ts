/**
 * A note's value in the two forms the wallet meets: a note plaintext's
 * AssetValue, and the public fields of an opened output or a payout
 * (PROTOCOL.md §8.4, §10.3, §10.4).
 */
import { bytesToBigintBE } from "../codec/bytes.ts";
import { ByteWriter } from "../codec/writer.ts";
import type { AssetId, AssetValue } from "../protocol/asset.ts";
import type { PublicValue } from "../protocol/contract-notes.ts";

export function assetValueOf(v: PublicValue): AssetValue {
  return v.assetKind === "token"
    ? { kind: "token", asset: v.assetRef as AssetId, amount: bytesToBigintBE(v.value) }
    : { kind: "ticket", category: v.assetRef, ticketId: Uint8Array.from(v.value) };
}

export function publicValueOf(v: AssetValue): PublicValue {
  return v.kind === "token"
    ? { assetKind: "token", assetRef: v.asset, value: new ByteWriter().uint(v.amount, 32).finish() }
    : { assetKind: "ticket", assetRef: v.category, value: Uint8Array.from(v.ticketId) };
}
