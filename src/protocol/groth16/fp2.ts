/**
 * BN254's base field Fp and its quadratic extension Fp2 = Fp[u]/(u² + 1), the
 * arithmetic under the verifier's G2 points and its Fp12 tower (fp12.ts).
 *
 * Why not @noble/curves' fields: there every add, sub and mul ends in a `%`,
 * and on V8 a 508-by-254-bit BigInt `%` costs ~225 ns while the 254-bit
 * product itself costs ~60 ns. Bigints never overflow, so a product of
 * unreduced representatives is still the right residue: callers may combine
 * many products first and reduce once at the end ("lazy reduction", as in
 * Aranha-Karabina-Longa-Gebotys-López, "Faster explicit formulas for
 * computing pairings over ordinary curves", EUROCRYPT 2011, where it saves
 * machine-word reductions; here it saves BigInt divisions). Functions named
 * `...Wide` return such unreduced representatives; everything else returns
 * canonical values in [0, p). Reduction never changes a value mod p, so
 * correctness does not depend on where it happens, only speed does.
 */
import { invert } from "@noble/curves/abstract/modular.js";
import { P } from "./bn254.ts";

/** `a mod p` in [0, p) for any integer a, negative or wide. */
export function modP(a: bigint): bigint {
  const r = a % P;
  return r < 0n ? r + P : r;
}

/** `1/a mod p`; a must not be 0 mod p. */
export function invP(a: bigint): bigint {
  return invert(modP(a), P);
}

/** c0 + c1·u. Canonical (both in [0, p)) unless produced by a `...Wide` function. */
export type Fp2 = { readonly c0: bigint; readonly c1: bigint };

export const FP2_ZERO: Fp2 = { c0: 0n, c1: 0n };
export const FP2_ONE: Fp2 = { c0: 1n, c1: 0n };

export function fp2(c0: bigint, c1: bigint): Fp2 {
  return { c0, c1 };
}

/** Brings any representative into canonical form. */
export function fp2Reduce(a: Fp2): Fp2 {
  return { c0: modP(a.c0), c1: modP(a.c1) };
}

/** a + b, unreduced. */
export function fp2AddWide(a: Fp2, b: Fp2): Fp2 {
  return { c0: a.c0 + b.c0, c1: a.c1 + b.c1 };
}

/** a − b, unreduced (components may be negative). */
export function fp2SubWide(a: Fp2, b: Fp2): Fp2 {
  return { c0: a.c0 - b.c0, c1: a.c1 - b.c1 };
}

/** k·a for a small integer k, unreduced. */
export function fp2ScaleWide(a: Fp2, k: bigint): Fp2 {
  return { c0: k * a.c0, c1: k * a.c1 };
}

/** a/2 for canonical a: halve even components, (c + p)/2 for odd ones. */
export function fp2Half(a: Fp2): Fp2 {
  const half = (c: bigint) => ((c & 1n) === 0n ? c : c + P) >> 1n;
  return { c0: half(a.c0), c1: half(a.c1) };
}

export function fp2Add(a: Fp2, b: Fp2): Fp2 {
  return fp2Reduce({ c0: a.c0 + b.c0, c1: a.c1 + b.c1 });
}

export function fp2Sub(a: Fp2, b: Fp2): Fp2 {
  return fp2Reduce({ c0: a.c0 - b.c0, c1: a.c1 - b.c1 });
}

export function fp2Neg(a: Fp2): Fp2 {
  return fp2Reduce({ c0: -a.c0, c1: -a.c1 });
}

/** Karatsuba: (a0 + a1·u)(b0 + b1·u) = (a0b0 − a1b1) + ((a0 + a1)(b0 + b1) − a0b0 − a1b1)·u. Unreduced. */
export function fp2MulWide(a: Fp2, b: Fp2): Fp2 {
  const t0 = a.c0 * b.c0;
  const t1 = a.c1 * b.c1;
  return { c0: t0 - t1, c1: (a.c0 + a.c1) * (b.c0 + b.c1) - t0 - t1 };
}

/** Complex squaring: (a0 + a1·u)² = (a0 + a1)(a0 − a1) + 2·a0·a1·u. Unreduced. */
export function fp2SqrWide(a: Fp2): Fp2 {
  const t = a.c0 * a.c1;
  return { c0: (a.c0 + a.c1) * (a.c0 - a.c1), c1: t + t };
}

export function fp2Mul(a: Fp2, b: Fp2): Fp2 {
  return fp2Reduce(fp2MulWide(a, b));
}

export function fp2Sqr(a: Fp2): Fp2 {
  return fp2Reduce(fp2SqrWide(a));
}

/** Multiplication by an element of the base field. */
export function fp2MulFp(a: Fp2, k: bigint): Fp2 {
  return { c0: modP(a.c0 * k), c1: modP(a.c1 * k) };
}

/**
 * Multiplication by ξ = 9 + u, the non-residue that defines Fp6 = Fp2[v]/(v³ − ξ)
 * and the twist E': y² = x³ + 3/ξ. Only small multiples and one subtraction, so
 * it is applied to unreduced values too; the result is unreduced.
 */
export function fp2MulXiWide(a: Fp2): Fp2 {
  return { c0: 9n * a.c0 - a.c1, c1: a.c0 + 9n * a.c1 };
}

/** The Frobenius map x ↦ x^p on Fp2, which is conjugation u ↦ −u. */
export function fp2Conj(a: Fp2): Fp2 {
  return { c0: a.c0, c1: a.c1 === 0n ? 0n : P - a.c1 };
}

/** 1/(a0 + a1·u) = (a0 − a1·u)/(a0² + a1²); a must not be 0. */
export function fp2Inv(a: Fp2): Fp2 {
  const k = invP(a.c0 * a.c0 + a.c1 * a.c1);
  return { c0: modP(a.c0 * k), c1: modP(-a.c1 * k) };
}

export function fp2Pow(a: Fp2, e: bigint): Fp2 {
  let result = FP2_ONE;
  let base = a;
  for (let k = e; k > 0n; k >>= 1n) {
    if (k & 1n) {
      result = fp2Mul(result, base);
    }
    base = fp2Sqr(base);
  }
  return result;
}

/** Equality of canonical values (both sides must be reduced). */
export function fp2Eq(a: Fp2, b: Fp2): boolean {
  return a.c0 === b.c0 && a.c1 === b.c1;
}

export function fp2IsZero(a: Fp2): boolean {
  return a.c0 === 0n && a.c1 === 0n;
}
