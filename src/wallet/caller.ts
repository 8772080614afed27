/**
 * Contract caller identities (PROTOCOL.md §10.1): identity `i` of an account
 * is its one-time address at index 2³¹ + i, where payouts to it go, and the
 * Ed25519 key `Blake("SERO_CallerKey__", seed || u32(i), 32)`, which signs
 * its transactions. Both come from the seed, so a restored wallet keeps its
 * identities (and the contracts they own); distinct indexes are unlinkable.
 */
import { ed25519 } from "@noble/curves/ed25519.js";
import { concatBytes } from "../codec/bytes.ts";
import { ByteWriter } from "../codec/writer.ts";
import { encodeOneTimeAddress, oneTimeAddressAt } from "../protocol/address.ts";
import { Blake2bPersonalization as P } from "../protocol/domains.ts";
import { blake } from "../protocol/hash.ts";
import type { SpendingKeys } from "../protocol/keys.ts";
import type { Caller } from "../protocol/tx/types.ts";
import { WalletError } from "./errors.ts";

/** Identities take the upper half of the one-time address indexes; `sero address --index` the lower. */
export const CALLER_INDEX_BASE = 2 ** 31;
export const MAX_IDENTITY = CALLER_INDEX_BASE - 1;

export function checkIdentity(index: number): number {
  if (!Number.isInteger(index) || index < 0 || index > MAX_IDENTITY) {
    throw new WalletError("bad_identity", `an identity index is 0 to ${MAX_IDENTITY}`);
  }
  return index;
}

export function callerSecret(keys: SpendingKeys, index: number): Uint8Array {
  const i = new ByteWriter().u32(checkIdentity(index)).finish();
  return blake(P.callerKey, concatBytes(keys.seed, i), 32);
}

export function callerOf(keys: SpendingKeys, index: number): Caller {
  return {
    pkr: encodeOneTimeAddress(oneTimeAddressAt(keys, CALLER_INDEX_BASE + checkIdentity(index))),
    key: ed25519.getPublicKey(callerSecret(keys, index)),
  };
}
