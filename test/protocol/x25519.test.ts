/**
 * The low-order check of X25519 keys (src/protocol/x25519.ts) agrees with the
 * definition it replaces: a u-coordinate is of low order exactly when
 * clamp(k)·u is all zero (RFC 7748 §6.1), here for the listed points, their
 * non-canonical spellings (top bit set, u + p) and random keys.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isLowOrderX25519, scalarMult, X25519_BASE_U } from "../../src/protocol/x25519.ts";

const P = 2n ** 255n - 19n;
const le = (v: bigint) => Uint8Array.from({ length: 32 }, (_, i) => Number((v >> BigInt(8 * i)) & 0xffn));

function zeroResult(u: Uint8Array): boolean {
  try {
    scalarMult(X25519_BASE_U, u);
    return false;
  } catch {
    return true;
  }
}

const LOW = [
  0n,
  1n,
  325606250916557431795983626356110631294008115727848805560023387167927233504n,
  39382357235489614581723060781553021112529911719440698176882885853963445705823n,
  P - 1n,
];

describe("X25519 low-order keys", () => {
  it("the listed points, spelled every way, are low order by both tests", () => {
    for (const u of LOW) {
      for (const spelled of [le(u), le(u + P < 2n ** 255n ? u + P : u), le(u | (1n << 255n))]) {
        expect(isLowOrderX25519(spelled)).toBe(true);
        expect(zeroResult(spelled)).toBe(true);
      }
    }
  });

  it("agrees with a scalar multiplication on random keys", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (u) => {
        expect(isLowOrderX25519(u)).toBe(zeroResult(u));
      }),
      { numRuns: 200 },
    );
  });
});
