/** How the wallet file writes a note's value and its bytes (inside the encrypted payload). */
import { fromHex, toHex } from "../codec/bytes.ts";
import type { AssetId, AssetValue } from "../protocol/asset.ts";
import { frFromBytes, frToBytes } from "../protocol/field.ts";
import { WalletError } from "./errors.ts";

export type ValueJson =
  | { kind: "token"; asset: string; amount: string }
  | { kind: "ticket"; category: string; ticketId: string };

/** Hex read back from the wallet file. */
export function fileHex(text: string): Uint8Array {
  const bytes = fromHex(text);
  if (!bytes) {
    throw new WalletError("bad_wallet_file", "the wallet file holds invalid hex");
  }
  return bytes;
}

export function valueToJson(value: AssetValue): ValueJson {
  return value.kind === "token"
    ? { kind: "token", asset: toHex(frToBytes(value.asset)), amount: value.amount.toString() }
    : { kind: "ticket", category: toHex(frToBytes(value.category)), ticketId: toHex(value.ticketId) };
}

export function valueFromJson(j: ValueJson): AssetValue {
  return j.kind === "token"
    ? { kind: "token", asset: frFromBytes(fileHex(j.asset)) as AssetId, amount: BigInt(j.amount) }
    : { kind: "ticket", category: frFromBytes(fileHex(j.category)), ticketId: fileHex(j.ticketId) };
}
