/** G1 arithmetic and MSMs (g1.ts) against noble's bn254 G1. */
import { bn254 } from "@noble/curves/bn254.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { R } from "../../src/protocol/groth16/bn254.ts";
import {
  fixedBaseMsm,
  fixedBaseTable,
  G1_INFINITY,
  type G1Jacobian,
  g1Add,
  g1AddAffine,
  g1Double,
  g1FromAffine,
  g1Mul,
  g1ToAffine,
  g1ToAffineBatch,
  msm,
} from "../../src/protocol/groth16/g1.ts";

const G1 = bn254.G1.Point;
type G1Point = InstanceType<typeof G1>;

const scalar = fc.bigInt({ min: 1n, max: R - 1n });
const point = (k: bigint) => G1.BASE.multiply(k);
const affine = (p: G1Point) => p.toAffine();
/** Our Jacobian point as noble's, for comparison. */
const noble = (p: G1Jacobian): G1Point => {
  const a = g1ToAffine(p);
  return a === undefined ? G1.ZERO : G1.fromAffine(a);
};
const sum = (points: readonly G1Point[], scalars: readonly bigint[]) =>
  points.reduce((acc, p, i) => acc.add(p.multiplyUnsafe(scalars[i] as bigint)), G1.ZERO);

describe("G1 group law", () => {
  it("doubles and adds like noble, including P + P, P + (−P) and the identity", () => {
    fc.assert(
      fc.property(scalar, scalar, (a, b) => {
        const p = point(a);
        const q = point(b);
        const pj = g1FromAffine(affine(p));
        // A Jacobian representative with Z ≠ 1.
        const qj = g1Double(g1FromAffine(affine(point((b * ((R + 1n) / 2n)) % R))));
        expect(noble(g1Double(pj)).equals(p.double())).toBe(true);
        expect(noble(g1AddAffine(pj, affine(q))).equals(p.add(q))).toBe(true);
        expect(noble(g1Add(pj, qj)).equals(p.add(q))).toBe(true);
        expect(noble(g1Add(qj, qj)).equals(q.double())).toBe(true);
        expect(noble(g1AddAffine(qj, affine(q))).equals(q.double())).toBe(true);
        expect(g1AddAffine(qj, affine(q.negate())).Z).toBe(0n);
        expect(g1Add(qj, g1FromAffine(affine(q.negate()))).Z).toBe(0n);
        expect(noble(g1Add(G1_INFINITY, qj)).equals(q)).toBe(true);
        expect(noble(g1AddAffine(G1_INFINITY, affine(q))).equals(q)).toBe(true);
      }),
      { numRuns: 20 },
    );
  });

  it("multiplies by scalars like noble, edge scalars included", () => {
    const p = point(987654321n);
    for (const k of [0n, 1n, 2n, 15n, 16n, 17n, 31n, 32n, 33n, (1n << 128n) + 1n, R - 1n]) {
      expect(noble(g1Mul(affine(p), k)).equals(p.multiplyUnsafe(k))).toBe(true);
    }
    fc.assert(
      fc.property(scalar, scalar, (a, k) => {
        expect(noble(g1Mul(affine(point(a)), k)).equals(point(a).multiply(k))).toBe(true);
      }),
      { numRuns: 20 },
    );
    expect(() => g1Mul(affine(p), 1n << 254n)).toThrow(RangeError);
  });

  it("normalizes many points with one inversion, the identity included", () => {
    const points = [g1Double(g1FromAffine(affine(G1.BASE))), G1_INFINITY, g1Mul(affine(G1.BASE), 17n)];
    expect(g1ToAffineBatch(points)).toEqual([affine(G1.BASE.double()), undefined, affine(point(17n))]);
  });
});

describe("G1 MSMs", () => {
  const bases = [3n, 5n, 7n].map(point);
  const tables = bases.map((b) => fixedBaseTable(affine(b)));

  it("fixed-base MSM equals Σ k·B, for edge scalars and random ones", () => {
    for (const k of [0n, 1n, 2n, 127n, 128n, 129n, 255n, 256n, R - 1n, R - 2n, (1n << 253n) + 1n, (1n << 128n) - 1n]) {
      const ks = [k, R - 1n - k, k];
      expect(noble(fixedBaseMsm(tables, ks)).equals(sum(bases, ks))).toBe(true);
    }
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 0n, max: R - 1n }), { minLength: 3, maxLength: 3 }), (ks) => {
        expect(noble(fixedBaseMsm(tables, ks)).equals(sum(bases, ks))).toBe(true);
      }),
      { numRuns: 10 },
    );
    // (r − 1)·B + 1·B = O: the sum passes through the identity.
    expect(fixedBaseMsm(tables.slice(0, 2), [R - 1n, 0n]).Z).not.toBe(0n);
    expect(fixedBaseMsm([tables[0], tables[0]] as typeof tables, [R - 1n, 1n]).Z).toBe(0n);
  });

  it("Pippenger MSM equals Σ k·P for 128-bit scalars, any length", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(scalar, fc.bigInt({ min: 0n, max: 1n << 128n })), { maxLength: 40 }), (pairs) => {
        const points = pairs.map(([k]) => point(k));
        const scalars = pairs.map(([, s]) => s);
        expect(noble(msm(points.map(affine), scalars, 129)).equals(sum(points, scalars))).toBe(true);
      }),
      { numRuns: 10 },
    );
    const p = affine(point(99n));
    const minusP = affine(point(R - 99n));
    expect(msm([p, p, minusP], [1n << 128n, 0n, 1n << 128n], 129).Z).toBe(0n);
    expect(() => msm([p], [1n << 129n], 129)).toThrow(RangeError);
  });
});
