/**
 * Nullifiers (PROTOCOL.md §6): nf = H_nf(nk, cm, position). Computable only with
 * nk (spending or viewing key); the leaf position separates equal commitments.
 */
import { PoseidonTag } from "./domains.ts";
import type { Fr } from "./field.ts";
import type { Commitment } from "./note.ts";
import { hashTagged } from "./poseidon.ts";

export type Nullifier = Fr & { readonly __nullifier: unique symbol };

export const TREE_POSITION_LIMIT = 2 ** 32;

export function nullifier(nk: Fr, cm: Commitment, position: number): Nullifier {
  if (!Number.isInteger(position) || position < 0 || position >= TREE_POSITION_LIMIT) {
    throw new RangeError("a tree position is a 32-bit unsigned integer");
  }
  return hashTagged(PoseidonTag.nullifier, nk, cm, BigInt(position) as Fr) as Nullifier;
}
