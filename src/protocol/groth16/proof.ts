/**
 * A Groth16 proof π = (A, B, C) ∈ G1 × G2 × G1 (Groth, "On the size of
 * pairing-based non-interactive arguments", EUROCRYPT 2016, §3.2).
 *
 * A `Proof` value can only come out of `checkProof`, which runs every point
 * check of points.ts (B's subgroup check included), so `verify` never sees an
 * unchecked point. The decoders (snarkjs-json.ts, binary.ts) call it.
 */
import type { Fp2 } from "./fp2.ts";
import type { G2Affine } from "./g2.ts";
import { checkG1, checkG2, type G1Affine } from "./points.ts";

declare const checkedProof: unique symbol;

export type Proof = {
  readonly a: G1Affine;
  readonly b: G2Affine;
  readonly c: G1Affine;
  readonly [checkedProof]: true;
};

/** Untrusted coordinates, as decoded from some encoding. */
export type ProofCoordinates = {
  readonly a: { readonly x: bigint; readonly y: bigint };
  readonly b: { readonly x: Fp2; readonly y: Fp2 };
  readonly c: { readonly x: bigint; readonly y: bigint };
};

export function checkProof(raw: ProofCoordinates): Proof {
  const proof: Omit<Proof, typeof checkedProof> = {
    a: checkG1(raw.a.x, raw.a.y, "proof", "proof.A"),
    b: checkG2(raw.b.x, raw.b.y, "proof", "proof.B"),
    c: checkG1(raw.c.x, raw.c.y, "proof", "proof.C"),
  };
  return proof as Proof;
}
