/**
 * Notes and commitments (PROTOCOL.md §5.1):
 *   seal = H_seal(g'.x, g'.y, pk'.x, pk'.y, rcm)   hides the owner
 *   cm   = H_note(asset, amount, seal)             hides and binds everything
 */

import { type AssetValue, committedValue } from "./asset.ts";
import { affine, type BabyjubPoint } from "./babyjub.ts";
import { Blake2bPersonalization as P, PoseidonTag } from "./domains.ts";
import type { Fr } from "./field.ts";
import { blakeToFr } from "./hash.ts";
import { hashTagged } from "./poseidon.ts";

export type Seal = Fr & { readonly __seal: unique symbol };
export type Commitment = Fr & { readonly __commitment: unique symbol };

export type Note = {
  readonly value: AssetValue;
  /** Owner: the BabyJubjub half of a one-time address. */
  readonly g: BabyjubPoint;
  readonly pk: BabyjubPoint;
  readonly rcm: Fr;
};

/** A uniform Fr element from 32 random bytes (rcm). */
export function randomFr(random: Uint8Array): Fr {
  return blakeToFr(P.randomFr, random);
}

export function noteSeal(g: BabyjubPoint, pk: BabyjubPoint, rcm: Fr): Seal {
  const a = affine(g);
  const b = affine(pk);
  return hashTagged(PoseidonTag.seal, a.x, a.y, b.x, b.y, rcm) as Seal;
}

export function commitmentFromSeal(asset: Fr, amount: bigint, seal: Seal): Commitment {
  return hashTagged(PoseidonTag.note, asset, amount as Fr, seal) as Commitment;
}

export function noteCommitment(note: Note): Commitment {
  const { asset, amount } = committedValue(note.value);
  return commitmentFromSeal(asset, amount, noteSeal(note.g, note.pk, note.rcm));
}
