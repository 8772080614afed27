/**
 * The one place where untrusted coordinates become curve points. Both the
 * snarkjs-JSON and the binary decoders end here, so every point the verifier
 * ever uses has been checked, in this order:
 *
 *  1. every coordinate is an integer in [0, p) (no second spelling of a point);
 *  2. not the point at infinity, spelled (0, 0) as in EIP-196/197: Groth16
 *     points are never the identity in honest keys or proofs (A, B and C carry
 *     fresh randomness r·δ, s·δ; the key's points are nonzero by setup), and
 *     identities only make degenerate equations easier to satisfy;
 *  3. on the curve: y² = x³ + 3 over Fp for G1, y² = x³ + 3/ξ over Fp2 for G2;
 *  4. in the order-r subgroup. For G1 this follows from 3: E(Fp) has prime
 *     order r (BN curves have G1 cofactor 1), so no check is spent on it. For
 *     G2 it does not follow (cofactor ~2^254) and `isInG2` is required.
 */
import { P } from "./bn254.ts";
import { Groth16Error, type Groth16Source } from "./errors.ts";
import { type Fp2, fp2IsZero, modP } from "./fp2.ts";
import { type G2Affine, isInG2, isOnTwist } from "./g2.ts";

/** An affine point of E(Fp), never the point at infinity. */
export type G1Affine = { readonly x: bigint; readonly y: bigint };

function inField(v: bigint): boolean {
  return v >= 0n && v < P;
}

export function isOnG1Curve(x: bigint, y: bigint): boolean {
  return modP(y * y) === modP(x * x * x + 3n);
}

/** Checks 1-4 above for a G1 point; `what` names it in error messages ("proof.A"). */
export function checkG1(x: bigint, y: bigint, source: Groth16Source, what: string): G1Affine {
  if (!inField(x) || !inField(y)) {
    throw new Groth16Error(`${source}_coordinate_out_of_range`, `${what}: coordinate not below the field modulus`);
  }
  if (x === 0n && y === 0n) {
    throw new Groth16Error(`${source}_point_at_infinity`, `${what}: point at infinity`);
  }
  if (!isOnG1Curve(x, y)) {
    throw new Groth16Error(`${source}_point_not_on_curve`, `${what}: not on the curve`);
  }
  return { x, y };
}

/** Checks 1-4 above for a G2 point. */
export function checkG2(x: Fp2, y: Fp2, source: Groth16Source, what: string): G2Affine {
  if (![x.c0, x.c1, y.c0, y.c1].every(inField)) {
    throw new Groth16Error(`${source}_coordinate_out_of_range`, `${what}: coordinate not below the field modulus`);
  }
  if (fp2IsZero(x) && fp2IsZero(y)) {
    throw new Groth16Error(`${source}_point_at_infinity`, `${what}: point at infinity`);
  }
  const point = { x, y };
  if (!isOnTwist(point)) {
    throw new Groth16Error(`${source}_point_not_on_curve`, `${what}: not on the twist curve`);
  }
  if (!isInG2(point)) {
    throw new Groth16Error(`${source}_point_not_in_subgroup`, `${what}: on the twist but not in the order-r subgroup`);
  }
  return point;
}
