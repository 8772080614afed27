/**
 * The pairing target field of BN254 as the usual tower (EIP-197, and the same
 * tower and element layout as @noble/curves' bn254, so values compare 1:1):
 *
 *   Fp6  = Fp2[v]/(v³ − ξ), ξ = 9 + u      element c0 + c1·v + c2·v²
 *   Fp12 = Fp6[w]/(w² − v)                 element c0 + c1·w
 *
 * Every exported function takes canonical inputs and returns canonical
 * outputs; inside, products stay unreduced (fp2.ts explains why) and each of
 * the 12 output coefficients is reduced once. Multiplication is Karatsuba over
 * Fp6 and Fp2 (18 Fp2 products); squaring is the "complex" method; the sparse
 * line product and the cyclotomic squaring follow @noble/curves/abstract/tower
 * and bls.ts (Granger-Scott, "Faster squaring in the cyclotomic subgroup of
 * sixth degree extensions", PKC 2010), so results are bit-identical to noble's.
 */
import { P } from "./bn254.ts";
import {
  FP2_ONE,
  FP2_ZERO,
  type Fp2,
  fp2,
  fp2AddWide,
  fp2Conj,
  fp2Eq,
  fp2Inv,
  fp2Mul,
  fp2MulWide,
  fp2MulXiWide,
  fp2Pow,
  fp2Reduce,
  fp2SqrWide,
  fp2SubWide,
} from "./fp2.ts";

export type Fp6 = { readonly c0: Fp2; readonly c1: Fp2; readonly c2: Fp2 };
export type Fp12 = { readonly c0: Fp6; readonly c1: Fp6 };

const FP6_ZERO: Fp6 = { c0: FP2_ZERO, c1: FP2_ZERO, c2: FP2_ZERO };
export const FP12_ONE: Fp12 = { c0: { c0: FP2_ONE, c1: FP2_ZERO, c2: FP2_ZERO }, c1: FP6_ZERO };

// Unreduced helpers: plain integer arithmetic on representatives.
const add2 = fp2AddWide;
const sub2 = fp2SubWide;
const mul2 = fp2MulWide;
const sqr2 = fp2SqrWide;
const xi = fp2MulXiWide;

const add6 = (a: Fp6, b: Fp6): Fp6 => ({ c0: add2(a.c0, b.c0), c1: add2(a.c1, b.c1), c2: add2(a.c2, b.c2) });
const sub6 = (a: Fp6, b: Fp6): Fp6 => ({ c0: sub2(a.c0, b.c0), c1: sub2(a.c1, b.c1), c2: sub2(a.c2, b.c2) });
/** Multiplication by v: (c0 + c1·v + c2·v²)·v = ξ·c2 + c0·v + c1·v². */
const mulV6 = (a: Fp6): Fp6 => ({ c0: xi(a.c2), c1: a.c0, c2: a.c1 });
const reduce6 = (a: Fp6): Fp6 => ({ c0: fp2Reduce(a.c0), c1: fp2Reduce(a.c1), c2: fp2Reduce(a.c2) });

/** Karatsuba over Fp2: 6 Fp2 products. Unreduced. */
function mul6(a: Fp6, b: Fp6): Fp6 {
  const t0 = mul2(a.c0, b.c0);
  const t1 = mul2(a.c1, b.c1);
  const t2 = mul2(a.c2, b.c2);
  return {
    c0: add2(t0, xi(sub2(sub2(mul2(add2(a.c1, a.c2), add2(b.c1, b.c2)), t1), t2))),
    c1: add2(sub2(sub2(mul2(add2(a.c0, a.c1), add2(b.c0, b.c1)), t0), t1), xi(t2)),
    c2: add2(sub2(sub2(mul2(add2(a.c0, a.c2), add2(b.c0, b.c2)), t0), t2), t1),
  };
}

/** a · (b0 + b1·v): 5 Fp2 products. Unreduced. */
function mul6By01(a: Fp6, b0: Fp2, b1: Fp2): Fp6 {
  const t0 = mul2(a.c0, b0);
  const t1 = mul2(a.c1, b1);
  return {
    c0: add2(xi(sub2(mul2(add2(a.c1, a.c2), b1), t1)), t0),
    c1: sub2(sub2(mul2(add2(b0, b1), add2(a.c0, a.c1)), t0), t1),
    c2: add2(sub2(mul2(add2(a.c0, a.c2), b0), t0), t1),
  };
}

export function fp12Mul(a: Fp12, b: Fp12): Fp12 {
  const t0 = mul6(a.c0, b.c0);
  const t1 = mul6(a.c1, b.c1);
  const t2 = mul6(add6(a.c0, a.c1), add6(b.c0, b.c1));
  return { c0: reduce6(add6(t0, mulV6(t1))), c1: reduce6(sub6(sub6(t2, t0), t1)) };
}

/** (c0 + c1·w)² = ((c0 + v·c1)(c0 + c1) − c0c1 − v·c0c1) + 2·c0c1·w. */
export function fp12Sqr(a: Fp12): Fp12 {
  const ab = mul6(a.c0, a.c1);
  const t = mul6(add6(a.c0, mulV6(a.c1)), add6(a.c0, a.c1));
  return { c0: reduce6(sub6(sub6(t, ab), mulV6(ab))), c1: reduce6(add6(ab, ab)) };
}

/**
 * f · (o0 + o3·w + o4·v·w): the product with a Miller-loop line on BN254's
 * D-type twist, which has only these three non-zero Fp2 slots (noble's
 * `mul034ByLine`). 13 Fp2 products instead of 18.
 */
export function fp12MulBy034(f: Fp12, o0: Fp2, o3: Fp2, o4: Fp2): Fp12 {
  const { c0: f0, c1: f1 } = f;
  const a: Fp6 = { c0: mul2(f0.c0, o0), c1: mul2(f0.c1, o0), c2: mul2(f0.c2, o0) };
  const b = mul6By01(f1, o3, o4);
  const e = mul6By01(add6(f0, f1), add2(o0, o3), o4);
  return { c0: reduce6(add6(a, mulV6(b))), c1: reduce6(sub6(sub6(e, a), b)) };
}

/** x ↦ x^(p^6): conjugation w ↦ −w. On the cyclotomic subgroup (where GT lives) this is the inverse. */
export function fp12Conj(a: Fp12): Fp12 {
  const n = (x: Fp2): Fp2 => fp2Reduce({ c0: -x.c0, c1: -x.c1 });
  return { c0: a.c0, c1: { c0: n(a.c1.c0), c1: n(a.c1.c1), c2: n(a.c1.c2) } };
}

/** (a + b·s)² in Fp4 = Fp2[s]/(s² − ξ): returns [a² + ξ·b², 2ab]. Unreduced. */
function sqr4(a: Fp2, b: Fp2): [Fp2, Fp2] {
  const a2 = sqr2(a);
  const b2 = sqr2(b);
  return [add2(xi(b2), a2), sub2(sub2(sqr2(add2(a, b)), a2), b2)];
}

/**
 * Squaring in the cyclotomic subgroup {x : x^(p⁴ − p² + 1) = 1}, where every
 * value lands after the easy part of the final exponentiation (GT included):
 * 9 Fp2 squarings instead of 12 Fp2 products (Granger-Scott, §3.1).
 */
export function fp12CyclotomicSqr(a: Fp12): Fp12 {
  const { c0: x, c1: y } = a;
  const [t3, t4] = sqr4(x.c0, y.c1);
  const [t5, t6] = sqr4(y.c0, x.c2);
  const [t7, t8] = sqr4(x.c1, y.c2);
  const t9 = xi(t8);
  // 3·t − 2·x and 3·t + 2·y, coefficient by coefficient.
  const minus = (t: Fp2, c: Fp2): Fp2 => fp2Reduce({ c0: 3n * t.c0 - 2n * c.c0, c1: 3n * t.c1 - 2n * c.c1 });
  const plus = (t: Fp2, c: Fp2): Fp2 => fp2Reduce({ c0: 3n * t.c0 + 2n * c.c0, c1: 3n * t.c1 + 2n * c.c1 });
  return {
    c0: { c0: minus(t3, x.c0), c1: minus(t5, x.c1), c2: minus(t7, x.c2) },
    c1: { c0: plus(t9, y.c0), c1: plus(t4, y.c1), c2: plus(t6, y.c2) },
  };
}

/** a^e for a in the cyclotomic subgroup (e.g. a GT element) and e ≥ 0, by square-and-multiply. */
export function fp12CyclotomicPow(a: Fp12, e: bigint): Fp12 {
  let result = FP12_ONE;
  for (let i = e.toString(2).length - 1; i >= 0; i--) {
    result = fp12CyclotomicSqr(result);
    if ((e >> BigInt(i)) & 1n) {
      result = fp12Mul(result, a);
    }
  }
  return result;
}

function inv6(a: Fp6): Fp6 {
  const { c0, c1, c2 } = a;
  const t0 = fp2Reduce(sub2(sqr2(c0), xi(mul2(c2, c1))));
  const t1 = fp2Reduce(sub2(xi(sqr2(c2)), mul2(c0, c1)));
  const t2 = fp2Reduce(sub2(sqr2(c1), mul2(c0, c2)));
  const norm = fp2Inv(fp2Reduce(add2(xi(add2(mul2(c2, t1), mul2(c1, t2))), mul2(c0, t0))));
  return { c0: fp2Mul(norm, t0), c1: fp2Mul(norm, t1), c2: fp2Mul(norm, t2) };
}

/** 1/(c0 + c1·w) = (c0 − c1·w)/(c0² − v·c1²); a must not be 0. */
export function fp12Inv(a: Fp12): Fp12 {
  const t = inv6(reduce6(sub6(mul6(a.c0, a.c0), mulV6(mul6(a.c1, a.c1)))));
  return fp12Conj({ c0: reduce6(mul6(a.c0, t)), c1: reduce6(mul6(a.c1, t)) });
}

/**
 * Coefficient k of an Fp12 element, read as Σ a_k·w^k (k = 0..5), sits at
 * c0.c0, c1.c0, c0.c1, c1.c1, c0.c2, c1.c2. Frobenius: (a·w^k)^(p^n) =
 * conj^n(a)·w^k·ξ^(k(p^n − 1)/6), because w⁶ = ξ. FROBENIUS[n][k] holds
 * ξ^(k(p^n − 1)/6), derived from γ = ξ^((p − 1)/6) alone: ξ^((p² − 1)/6) =
 * γ^(p + 1) = conj(γ)·γ and ξ^((p³ − 1)/6) = γ^(p² + p + 1) = γ·conj(γ)·γ,
 * since z^p = conj(z) and z^(p²) = z on Fp2. Computed on first use (one
 * 254-bit exponentiation), not at import.
 */
let frobeniusTable: readonly (readonly Fp2[])[] | undefined;

function frobeniusCoefficients(): readonly (readonly Fp2[])[] {
  if (frobeniusTable === undefined) {
    const gamma = fp2Pow(fp2(9n, 1n), (P - 1n) / 6n);
    const gammaN = [gamma, fp2Mul(fp2Conj(gamma), gamma), fp2Mul(fp2Mul(gamma, fp2Conj(gamma)), gamma)];
    frobeniusTable = gammaN.map((g) => {
      const powers = [FP2_ONE];
      for (let k = 1; k < 6; k++) {
        powers.push(fp2Mul(powers[k - 1] as Fp2, g));
      }
      return powers;
    });
  }
  return frobeniusTable;
}

/** ξ^((p − 1)/3) and ξ^((p − 1)/2): the constants of the twist endomorphism ψ (g2.ts). */
export function psiCoefficients(): { x: Fp2; y: Fp2 } {
  const row = frobeniusCoefficients()[0] as readonly Fp2[];
  return { x: row[2] as Fp2, y: row[3] as Fp2 };
}

/** x ↦ x^(p^n) for n = 1, 2, 3. */
export function fp12Frobenius(a: Fp12, n: 1 | 2 | 3): Fp12 {
  const g = frobeniusCoefficients()[n - 1] as readonly Fp2[];
  const map = (x: Fp2, k: number): Fp2 => fp2Mul(n === 2 ? x : fp2Conj(x), g[k] as Fp2);
  return {
    c0: { c0: n === 2 ? a.c0.c0 : fp2Conj(a.c0.c0), c1: map(a.c0.c1, 2), c2: map(a.c0.c2, 4) },
    c1: { c0: map(a.c1.c0, 1), c1: map(a.c1.c1, 3), c2: map(a.c1.c2, 5) },
  };
}

export function fp12Eq(a: Fp12, b: Fp12): boolean {
  const eq6 = (x: Fp6, y: Fp6) => fp2Eq(x.c0, y.c0) && fp2Eq(x.c1, y.c1) && fp2Eq(x.c2, y.c2);
  return eq6(a.c0, b.c0) && eq6(a.c1, b.c1);
}
