/**
 * Our pairing arithmetic against @noble/curves' bn254: same tower, same
 * Miller loop, same final exponentiation, so values must be bit-identical.
 * Plus bilinearity, which holds only if both are right.
 */
import { bn254 } from "@noble/curves/bn254.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BN_X, P, R } from "../../src/protocol/groth16/bn254.ts";
import { cyclotomicExpByX, finalExponentiation } from "../../src/protocol/groth16/final-exponentiation.ts";
import { FP2_ONE, fp2Inv, fp2Mul, fp2Pow, fp2Sqr } from "../../src/protocol/groth16/fp2.ts";
import {
  type Fp12,
  fp12Conj,
  fp12CyclotomicPow,
  fp12CyclotomicSqr,
  fp12Eq,
  fp12Frobenius,
  fp12Inv,
  fp12Mul,
  fp12MulBy034,
  fp12Sqr,
} from "../../src/protocol/groth16/fp12.ts";
import { TWIST_B } from "../../src/protocol/groth16/g2.ts";
import { g2Lines, millerLoop } from "../../src/protocol/groth16/miller-loop.ts";

const { G1, G2 } = bn254;
const F12 = bn254.fields.Fp12;

const scalar = fc.bigInt({ min: 1n, max: R - 1n });
const runs = { numRuns: 8 };

function affine1(k: bigint) {
  return G1.Point.BASE.multiply(k).toAffine();
}
function affine2(k: bigint) {
  return G2.Point.BASE.multiply(k).toAffine();
}
/** A "random" Fp12 element: a Miller-loop value of random points (not in GT). */
function millerValue(a: bigint, b: bigint): Fp12 {
  const p = affine1(a);
  return millerLoop([{ lines: g2Lines(affine2(b)), x: p.x, y: p.y }]);
}

describe("BN254 parameters", () => {
  it("p and r are the BN polynomials in x", () => {
    const x = BN_X;
    expect(36n * x ** 4n + 36n * x ** 3n + 24n * x ** 2n + 6n * x + 1n).toBe(P);
    expect(36n * x ** 4n + 36n * x ** 3n + 18n * x ** 2n + 6n * x + 1n).toBe(R);
    expect(P).toBe(bn254.fields.Fp.ORDER);
    expect(R).toBe(bn254.fields.Fr.ORDER);
  });

  it("the twist coefficient is 3/ξ, noble's b'", () => {
    expect(TWIST_B).toEqual(G2.Point.CURVE().b);
  });
});

describe("Fp2", () => {
  it("inverts and exponentiates", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: P - 1n }), fc.bigInt({ min: 0n, max: P - 1n }), (c0, c1) => {
        const a = { c0, c1 };
        expect(fp2Mul(a, fp2Inv(a))).toEqual(FP2_ONE);
        expect(fp2Pow(a, 2n)).toEqual(fp2Sqr(a));
        expect(fp2Mul(a, a)).toEqual(bn254.fields.Fp2.mul(a, a));
      }),
    );
  });
});

describe("Fp12 and the pairing, against noble", () => {
  it("multiplies, squares, inverts, conjugates and applies Frobenius like noble", () => {
    fc.assert(
      fc.property(scalar, scalar, scalar, (a, b, c) => {
        const f = millerValue(a, b);
        const g = millerValue(c, a);
        expect(fp12Mul(f, g)).toEqual(F12.mul(f, g));
        expect(fp12Sqr(f)).toEqual(F12.sqr(f));
        expect(fp12Inv(f)).toEqual(F12.inv(f));
        expect(fp12Conj(f)).toEqual(F12.conjugate(f));
        for (const n of [1, 2, 3] as const) {
          expect(fp12Frobenius(f, n)).toEqual(F12.frobeniusMap(f, n));
        }
      }),
      runs,
    );
  });

  it("computes the lines, the Miller loop and the final exponentiation exactly as noble", () => {
    fc.assert(
      fc.property(scalar, scalar, (a, b) => {
        const p = G1.Point.BASE.multiply(a);
        const q = G2.Point.BASE.multiply(b);
        const lines = g2Lines(q.toAffine());
        expect(lines).toEqual(bn254.utils.calcPairingPrecomputes(q));
        const { x, y } = p.toAffine();
        const f = millerLoop([{ lines, x, y }]);
        expect(f).toEqual(bn254.pairing(p, q, false));
        expect(finalExponentiation(f)).toEqual(bn254.pairing(p, q));
      }),
      runs,
    );
  });

  it("squares and raises to x in the cyclotomic subgroup", () => {
    fc.assert(
      fc.property(scalar, scalar, fc.bigInt({ min: 0n, max: (1n << 140n) - 1n }), (a, b, e) => {
        const gt = finalExponentiation(millerValue(a, b));
        expect(fp12CyclotomicSqr(gt)).toEqual(fp12Sqr(gt));
        expect(cyclotomicExpByX(gt)).toEqual(F12.pow(gt, BN_X));
        expect(fp12CyclotomicPow(gt, e)).toEqual(F12.pow(gt, e));
        // In GT, the inverse is the conjugate.
        expect(fp12Mul(gt, fp12Conj(gt))).toEqual(F12.ONE);
      }),
      runs,
    );
  });

  it("is bilinear and non-degenerate: e(aP, bQ) = e(P, Q)^(ab) ≠ 1", () => {
    fc.assert(
      fc.property(scalar, scalar, (a, b) => {
        const pair = (k1: bigint, k2: bigint) => {
          const p = affine1(k1);
          return finalExponentiation(millerLoop([{ lines: g2Lines(affine2(k2)), x: p.x, y: p.y }]));
        };
        const base = pair(1n, 1n);
        expect(fp12Eq(base, F12.ONE)).toBe(false);
        expect(pair(a, b)).toEqual(fp12CyclotomicPow(base, (a * b) % R));
      }),
      { numRuns: 4 },
    );
  });

  it("shares one loop across pairs: the product of loops is the loop of the product", () => {
    const p1 = affine1(5n);
    const p2 = affine1(7n);
    const l1 = g2Lines(affine2(11n));
    const l2 = g2Lines(affine2(13n));
    const together = millerLoop([
      { lines: l1, x: p1.x, y: p1.y },
      { lines: l2, x: p2.x, y: p2.y },
    ]);
    const apart = fp12Mul(millerLoop([{ lines: l1, x: p1.x, y: p1.y }]), millerLoop([{ lines: l2, x: p2.x, y: p2.y }]));
    expect(together).toEqual(apart);
    // A point instead of its kept lines: the same lines, made as the loop goes.
    const q = affine2(13n);
    expect(
      millerLoop([
        { lines: l1, x: p1.x, y: p1.y },
        { point: q, x: p2.x, y: p2.y },
      ]),
    ).toEqual(together);
    expect(millerLoop([])).toEqual(F12.ONE);
  });

  it("multiplies by a sparse line like a dense product", () => {
    const f = millerValue(3n, 4n);
    const o0 = { c0: 5n, c1: 6n };
    const o3 = { c0: 7n, c1: 8n };
    const o4 = { c0: 9n, c1: 10n };
    const zero = { c0: 0n, c1: 0n };
    const line = { c0: { c0: o0, c1: zero, c2: zero }, c1: { c0: o3, c1: o4, c2: zero } };
    expect(fp12MulBy034(f, o0, o3, o4)).toEqual(F12.mul(f, line));
  });
});
