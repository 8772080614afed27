/**
 * Contract state as ordered key-value entries (PROTOCOL.md §10.8): one flat
 * namespace the replica stores in one table and the state root hashes entry
 * by entry. Keys are ASCII, a one-letter kind then hex, so entries of one
 * contract sort together and a prefix selects them.
 */
import { toHex } from "../codec/bytes.ts";
import { type Fr, frToBytes } from "../protocol/field.ts";

const fe = (x: Fr) => toHex(frToBytes(x));

/** A contract's record: written once, when it is created, so these keys list every contract. */
export const CONTRACT_RECORD_PREFIX = "c/";

export const StateKey = {
  /** What a 20-byte EVM address stands for (§10.2). */
  registry: (evm: Uint8Array) => `r/${toHex(evm)}`,
  /** An EVM account: nonce and code hash. */
  account: (evm: Uint8Array) => `a/${toHex(evm)}`,
  /** A contract's 64-byte address and creation height. */
  contract: (evm: Uint8Array) => `${CONTRACT_RECORD_PREFIX}${toHex(evm)}`,
  /** Code by its keccak-256 hash: contracts with equal code share it. */
  code: (codeHash: Uint8Array) => `k/${toHex(codeHash)}`,
  storage: (evm: Uint8Array, slot: Uint8Array) => `s/${toHex(evm)}/${toHex(slot)}`,
  /** A contract's balance of a token, u128. */
  token: (evm: Uint8Array, asset: Fr) => `t/${toHex(evm)}/${fe(asset)}`,
  /** A ticket a contract holds: its category and id. */
  ticket: (evm: Uint8Array, ticketAsset: Fr) => `n/${toHex(evm)}/${fe(ticketAsset)}`,
  /** The contract that registered an asset (§10.5), which alone may mint it. */
  issuer: (asset: Fr) => `i/${fe(asset)}`,
  /** What all contracts together hold of an asset, u128 (§10.8's conservation). */
  held: (asset: Fr) => `h/${fe(asset)}`,
} as const;

/** The prefix of every key `StateKey[kind]` makes for one contract. */
export function contractPrefix(kind: "storage" | "token" | "ticket", evm: Uint8Array): string {
  const letter = { storage: "s", token: "t", ticket: "n" }[kind];
  return `${letter}/${toHex(evm)}/`;
}

/** Reads committed contract state; `undefined` is an absent entry. */
export interface ContractStateReader {
  contractValue(key: string): Uint8Array | undefined;
}

/** A block's writes in the order made; `null` deletes. */
export type ContractWrites = ReadonlyMap<string, Uint8Array | null>;
