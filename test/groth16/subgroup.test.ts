/**
 * The G2 membership test (g2.ts, Dai-Lin-Zhao-Zhou) against the definition
 * [r]Q = O, on points of G2, on random twist points (almost surely of order
 * r·(something) with a cofactor part), on points of small order dividing the
 * cofactor, and on G2 points shifted by them: the inputs an attacker uses.
 */
import { mulAddUnsafe } from "@noble/curves/abstract/curve.js";
import { bn254 } from "@noble/curves/bn254.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BN_X, R } from "../../src/protocol/groth16/bn254.ts";
import { type G2Affine, isInG2, isOnTwist } from "../../src/protocol/groth16/g2.ts";
import { twistPoint } from "./fixture.ts";

const G2 = bn254.G2.Point;
type G2Point = InstanceType<typeof G2>;
const P = bn254.fields.Fp.ORDER;

/** h = #E'(Fp2)/r = 10069 · 5864401 · 1875725156269 · q, q a 178-bit prime. */
const COFACTOR = G2.CURVE().h;
const SMALL_FACTORS = [10069n, 5864401n, 1875725156269n];

/** k·Q for any k ≥ 0, including multiples of r (noble's multiply refuses k ≥ r). */
function mul(q: G2Point, k: bigint): G2Point {
  return mulAddUnsafe(G2, [q], [k], true);
}

function affine(q: G2Point): G2Affine {
  return q.toAffine();
}

/** The definition: Q is in G2 iff [r]Q = O. */
function inG2ByDefinition(q: G2Point): boolean {
  return mul(q, R).is0();
}

describe("G2 subgroup membership", () => {
  it("meets the theorem's conditions on x (x ≢ 4 mod 13, x ≢ 92 mod 97); the cofactor has small factors", () => {
    expect(BN_X % 13n).not.toBe(4n);
    expect(BN_X % 97n).not.toBe(92n);
    for (const f of SMALL_FACTORS) {
      expect(COFACTOR % f).toBe(0n);
    }
  });

  it("accepts multiples of the generator", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: R - 1n }), (k) => {
        const q = G2.BASE.multiply(k);
        expect(isOnTwist(affine(q))).toBe(true);
        expect(isInG2(affine(q))).toBe(true);
      }),
      { numRuns: 20 },
    );
  });

  it("agrees with [r]Q = O on random twist points", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: P - 1n }), (seed) => {
        const q = twistPoint(seed);
        expect(isOnTwist(affine(q))).toBe(true);
        expect(isInG2(affine(q))).toBe(inG2ByDefinition(q));
        // A twist point cleared of its cofactor lands in G2.
        const cleared = mul(q, COFACTOR);
        if (!cleared.is0()) {
          expect(isInG2(affine(cleared))).toBe(true);
        }
      }),
      { numRuns: 12 },
    );
  });

  it("refuses points of small order and G2 points shifted by them", () => {
    for (const [i, f] of SMALL_FACTORS.entries()) {
      // [r·h/f]T has order f (or is O: then try the next T).
      let t = G2.ZERO;
      for (let seed = BigInt(1000 * i); t.is0(); seed++) {
        t = mul(twistPoint(seed), (R * COFACTOR) / f);
      }
      expect(mul(t, f).is0()).toBe(true);
      expect(isInG2(affine(t))).toBe(false);
      expect(isInG2(affine(G2.BASE.add(t)))).toBe(false);
      expect(isInG2(affine(G2.BASE.multiply(123456789n).add(t.double())))).toBe(false);
    }
  });

  it("agrees with noble's own check ψ(Q) = [6x²]Q", () => {
    for (let seed = 1n; seed < 6n; seed++) {
      const q = twistPoint(seed * 7919n);
      expect(isInG2(affine(q))).toBe(q.isTorsionFree());
    }
  });
});
