/**
 * The Miller loop of the BN254 optimal-ate pairing (Vercauteren, "Optimal
 * pairings", IEEE Trans. IT 2010): loop over NAF(6x + 2), then two extra
 * line steps at ψ(Q) and −ψ²(Q). Same loop, formulas and line layout as
 * @noble/curves' bls.ts with bn254's `postPrecompute`, so values match noble's
 * `millerLoopBatch` exactly; the arithmetic is ours (fp12.ts).
 *
 * A G2 point's lines do not depend on the G1 point it is paired with, so for
 * the key's fixed −γ and −δ they are computed once (`g2Lines`) and kept;
 * evaluating a kept line at P = (x, y) costs one sparse Fp12 product. A
 * proof's B is used once: its lines are made as the loop goes and dropped.
 * `millerLoop` runs all pairs of a product in one loop and shares the
 * squaring of the accumulator (64 Fp12 squarings per loop, not per pair).
 *
 * Line formulas (homogeneous projective R = (X : Y : Z) on the twist): the
 * doubling and addition steps of Costello, Lange and Naehrig, "Faster pairing
 * computations on curves with high-degree twists" (PKC 2010), in the
 * arrangement of Aranha et al. (EUROCRYPT 2011) that noble uses.
 */
import { BN_X } from "./bn254.ts";
import {
  FP2_ONE,
  type Fp2,
  fp2AddWide,
  fp2Half,
  fp2MulFp,
  fp2MulWide,
  fp2Reduce,
  fp2ScaleWide,
  fp2SqrWide,
  fp2SubWide,
} from "./fp2.ts";
import { FP12_ONE, type Fp12, fp12MulBy034, fp12Sqr } from "./fp12.ts";
import { type G2Affine, g2Negate, psi, TWIST_B } from "./g2.ts";

/** One line's coefficients (noble's [c0, c1, c2]); evaluated at P it is c2·y + c1·x·w + c0·v·w. */
export type Line = readonly [Fp2, Fp2, Fp2];

/** The lines of one G2 point: for every loop step, the lines multiplied in at that step. */
export type G2Lines = readonly (readonly Line[])[];

/** A pairing argument: a G2 point (as its kept lines, or as the point) and an affine G1 point (x, y). */
export type MillerPair =
  | { readonly lines: G2Lines; readonly x: bigint; readonly y: bigint }
  | { readonly point: G2Affine; readonly x: bigint; readonly y: bigint };

/** NAF digits of 6x + 2 below the leading 1, most significant first (noble's NAfDecomposition). */
const ATE_NAF: readonly number[] = (() => {
  const digits: number[] = [];
  for (let a = 6n * BN_X + 2n; a > 1n; a >>= 1n) {
    if ((a & 1n) === 0n) {
      digits.push(0);
    } else if ((a & 3n) === 3n) {
      digits.push(-1);
      a += 1n;
    } else {
      digits.push(1);
    }
  }
  return digits.reverse();
})();

type Projective = { readonly X: Fp2; readonly Y: Fp2; readonly Z: Fp2 };

// The steps below compute noble's formulas with one reduction per value that
// feeds a product (fp2.ts): same canonical outputs, about half the BigInt divisions.
const add = fp2AddWide;
const sub = fp2SubWide;
const mul = fp2MulWide;
const sqr = fp2SqrWide;
const scale = fp2ScaleWide;
const red = fp2Reduce;

/** R ← 2R, and the tangent line at R. */
function doublingStep(r: Projective, out: Line[]): Projective {
  const t0 = red(sqr(r.Y));
  const t1 = red(sqr(r.Z));
  const t2 = red(mul(scale(t1, 3n), TWIST_B));
  const t3 = scale(t2, 3n);
  const t4 = red(sub(sub(sqr(add(r.Y, r.Z)), t1), t0));
  out.push([red(sub(t2, t0)), red(scale(sqr(r.X), 3n)), red(scale(t4, -1n))]);
  return {
    X: fp2Half(red(mul(red(mul(sub(t0, t3), r.X)), r.Y))),
    Y: red(sub(sqr(fp2Half(red(add(t0, t3)))), scale(sqr(t2), 3n))),
    Z: red(mul(t0, t4)),
  };
}

/** R ← R + Q for affine Q, and the line through R and Q. */
function additionStep(r: Projective, q: G2Affine, out: Line[]): Projective {
  const t0 = red(sub(r.Y, mul(q.y, r.Z)));
  const t1 = red(sub(r.X, mul(q.x, r.Z)));
  out.push([red(sub(mul(t0, q.x), mul(t1, q.y))), red(scale(t0, -1n)), t1]);
  const t2 = red(sqr(t1));
  const t3 = red(mul(t2, t1));
  const t4 = red(mul(t2, r.X));
  const t5 = red(add(sub(t3, scale(t4, 2n)), mul(red(sqr(t0)), r.Z)));
  return {
    X: red(mul(t1, t5)),
    Y: red(sub(mul(sub(t4, t5), t0), mul(t3, r.Y))),
    Z: red(mul(r.Z, t3)),
  };
}

/**
 * The lines of Q, one loop step at a time. Q must be in G2 and not the point
 * at infinity (callers validate; the formulas have no exceptional cases then,
 * because no partial multiple of Q in the loop equals ±Q).
 */
function* lineSteps(q: G2Affine): Generator<readonly Line[], void, undefined> {
  const negQ = g2Negate(q);
  let r: Projective = { X: q.x, Y: q.y, Z: FP2_ONE };
  const last = ATE_NAF.length - 1;
  for (const [i, digit] of ATE_NAF.entries()) {
    const step: Line[] = [];
    r = doublingStep(r, step);
    if (digit === 1) {
      r = additionStep(r, q, step);
    } else if (digit === -1) {
      r = additionStep(r, negQ, step);
    }
    if (i === last) {
      // Optimal ate: (6x + 2)Q + ψ(Q) − ψ²(Q), the two lines joined to the last step.
      const q1 = psi(q);
      r = additionStep(r, q1, step);
      additionStep(r, g2Negate(psi(q1)), step);
    }
    yield step;
  }
}

/** All the lines of Q, kept for a point that is paired again and again (a key's γ, δ). */
export function g2Lines(q: G2Affine): G2Lines {
  return [...lineSteps(q)];
}

/**
 * ∏ f_{6x+2,Q}(P) over the pairs, before the final exponentiation. An empty
 * product is 1. A pair gives Q either as kept lines or as the point itself,
 * whose lines are then made step by step and dropped (a proof's B: used once,
 * so nothing is gained by storing ~90 lines per proof for the whole loop).
 */
export function millerLoop(pairs: readonly MillerPair[]): Fp12 {
  const sources = pairs.map((pair) => ("lines" in pair ? pair.lines[Symbol.iterator]() : lineSteps(pair.point)));
  let f = FP12_ONE;
  for (let i = 0; i < ATE_NAF.length; i++) {
    if (i !== 0) {
      f = fp12Sqr(f);
    }
    pairs.forEach(({ x, y }, j) => {
      const step = (sources[j] as Iterator<readonly Line[]>).next().value as readonly Line[];
      for (const [c0, c1, c2] of step) {
        f = fp12MulBy034(f, fp2MulFp(c2, y), fp2MulFp(c1, x), c0);
      }
    });
  }
  return f;
}
