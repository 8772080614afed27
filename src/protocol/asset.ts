/**
 * The asset system (PROTOCOL.md §4): fungible tokens with 128-bit amounts,
 * non-fungible tickets (category + 32-byte id, each ticket its own asset of
 * amount 1), and the native coin SERO with a fixed id.
 */
import { bytesToBigintBE, utf8 } from "../codec/bytes.ts";
import { Blake2bPersonalization as P, PoseidonTag } from "./domains.ts";
import { ProtocolError } from "./errors.ts";
import type { Fr } from "./field.ts";
import { blakeToFr } from "./hash.ts";
import { hashTagged } from "./poseidon.ts";

export type AssetId = Fr & { readonly __asset: unique symbol };

export const AMOUNT_LIMIT = 1n << 128n;
export const MAX_DECIMALS = 38;
export const TICKET_ID_BYTES = 32;

const SYMBOL = /^[A-Z][A-Z0-9]{0,15}$/;
const CATEGORY = /^[A-Z][A-Z0-9_]{0,31}$/;

export function checkAmount(amount: bigint, what = "amount"): bigint {
  if (amount < 0n || amount >= AMOUNT_LIMIT) {
    throw new ProtocolError("amount_out_of_range", `${what} must be in [0, 2^128)`);
  }
  return amount;
}

export function checkSymbol(symbol: string): string {
  if (!SYMBOL.test(symbol)) {
    throw new ProtocolError("bad_symbol", "a token symbol is 1-16 characters A-Z0-9, starting with a letter");
  }
  return symbol;
}

export function checkCategoryName(name: string): string {
  if (!CATEGORY.test(name)) {
    throw new ProtocolError("bad_category", "a ticket category is 1-32 characters A-Z0-9_, starting with a letter");
  }
  return name;
}

export function tokenId(symbol: string): AssetId {
  return blakeToFr(P.tokenId, utf8(checkSymbol(symbol))) as AssetId;
}

export function ticketCategoryId(name: string): Fr {
  return blakeToFr(P.ticketCategory, utf8(checkCategoryName(name)));
}

/** `H_ticket(category, id_hi, id_lo)`: one asset per ticket. */
export function ticketAssetId(category: Fr, ticketId: Uint8Array): AssetId {
  if (ticketId.length !== TICKET_ID_BYTES) {
    throw new ProtocolError("bad_length", "a ticket id is 32 bytes");
  }
  const hi = bytesToBigintBE(ticketId.subarray(0, 16)) as Fr;
  const lo = bytesToBigintBE(ticketId.subarray(16)) as Fr;
  return hashTagged(PoseidonTag.ticket, category, hi, lo) as AssetId;
}

export const SERO_SYMBOL = "SERO";
export const SERO_DECIMALS = 18;
export const SERO_ASSET_ID: AssetId = tokenId(SERO_SYMBOL);

/** What a note holds, as its plaintext names it: a token amount or one ticket. */
export type AssetValue =
  | { readonly kind: "token"; readonly asset: AssetId; readonly amount: bigint }
  | { readonly kind: "ticket"; readonly category: Fr; readonly ticketId: Uint8Array };

/** The (asset, amount) pair a commitment binds. */
export function committedValue(value: AssetValue): { asset: AssetId; amount: bigint } {
  return value.kind === "token"
    ? { asset: value.asset, amount: checkAmount(value.amount) }
    : { asset: ticketAssetId(value.category, value.ticketId), amount: 1n };
}

export type SupplyRule = { readonly kind: "capped"; readonly cap: bigint } | { readonly kind: "unlimited" };

/** A registered asset: public, and what `sero balance` and explorers display. */
export type AssetRegistration = {
  readonly assetKind: "token" | "ticket";
  readonly name: string;
  readonly decimals: number;
  readonly issuer: Uint8Array;
  readonly supply: SupplyRule;
};

/** Registration-level checks shared by the transaction decoder and genesis. */
export function checkRegistration(reg: AssetRegistration): AssetRegistration {
  if (reg.assetKind === "token") {
    checkSymbol(reg.name);
  } else {
    checkCategoryName(reg.name);
  }
  if (!Number.isInteger(reg.decimals) || reg.decimals < 0 || reg.decimals > MAX_DECIMALS) {
    throw new ProtocolError("bad_decimals", `decimals must be 0 to ${MAX_DECIMALS}`);
  }
  if (reg.assetKind === "ticket" && reg.decimals !== 0) {
    throw new ProtocolError("bad_decimals", "tickets have 0 decimals");
  }
  if (reg.issuer.length !== 32) {
    throw new ProtocolError("bad_length", "an issuer key is 32 bytes");
  }
  if (reg.supply.kind === "capped") {
    checkAmount(reg.supply.cap, "supply cap");
  }
  return reg;
}

/** The id a registration defines: a token id, or a ticket category id. */
export function registeredId(reg: Pick<AssetRegistration, "assetKind" | "name">): Fr {
  return reg.assetKind === "token" ? tokenId(reg.name) : ticketCategoryId(reg.name);
}
