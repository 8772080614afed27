/** Property tests: every protocol encoding round-trips, and mutations never decode to the same value. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeOneTimeAddress,
  decodePublicAddress,
  deriveOneTimeAddress,
  encodeOneTimeAddress,
  encodePublicAddress,
  publicAddressOf,
} from "../../src/protocol/address.ts";
import { AMOUNT_LIMIT, SERO_ASSET_ID } from "../../src/protocol/asset.ts";
import { decodePlaintext, encodePlaintext, MEMO_BYTES } from "../../src/protocol/encryption/plaintext.ts";
import { decodeViewingKey, deriveSpendingKeys, encodeViewingKey } from "../../src/protocol/keys.ts";
import { randomFr } from "../../src/protocol/note.ts";
import { decodeText, encodeText } from "../../src/protocol/text.ts";

const seed = fc.uint8Array({ minLength: 32, maxLength: 32 });

/** Decodes `bytes` with one byte changed; returns undefined when refused. */
function mutate<T>(
  bytes: Uint8Array,
  index: number,
  delta: number,
  decode: (b: Uint8Array) => T,
): Uint8Array | undefined {
  const copy = Uint8Array.from(bytes);
  copy[index] = ((copy[index] as number) + delta) % 256;
  try {
    decode(copy);
  } catch (e) {
    expect((e as { code?: string }).code).toMatch(/^[a-z_]+$/);
    return undefined;
  }
  return copy;
}

describe("encodings (property)", () => {
  it("addresses and viewing keys round-trip in binary and text", () => {
    fc.assert(
      fc.property(seed, seed, (s, rnd) => {
        const keys = deriveSpendingKeys(s);
        const pk = encodePublicAddress(publicAddressOf(keys));
        expect(encodePublicAddress(decodePublicAddress(pk))).toEqual(pk);
        const pkr = encodeOneTimeAddress(deriveOneTimeAddress(publicAddressOf(keys), rnd));
        expect(encodeOneTimeAddress(decodeOneTimeAddress(pkr))).toEqual(pkr);
        expect(decodeText("oneTimeAddress", encodeText("oneTimeAddress", pkr))).toEqual(pkr);
        const vk = encodeViewingKey(keys);
        expect(encodeViewingKey(decodeViewingKey(vk))).toEqual(vk);
      }),
      { numRuns: 20 },
    );
  });

  it("a mutated one-time address is refused or is a different, canonical address", () => {
    const pkr = encodeOneTimeAddress(
      deriveOneTimeAddress(publicAddressOf(deriveSpendingKeys(new Uint8Array(32))), new Uint8Array(32)),
    );
    fc.assert(
      fc.property(fc.nat({ max: 127 }), fc.integer({ min: 1, max: 255 }), (i, d) => {
        const mutated = mutate(pkr, i, d, decodeOneTimeAddress);
        if (mutated) {
          expect(encodeOneTimeAddress(decodeOneTimeAddress(mutated))).toEqual(mutated);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("note plaintexts round-trip; mutations are refused or re-encode to themselves", () => {
    const owner = deriveOneTimeAddress(
      publicAddressOf(deriveSpendingKeys(new Uint8Array(32).fill(1))),
      new Uint8Array(32),
    );
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: AMOUNT_LIMIT - 1n }),
        fc.uint8Array({ maxLength: MEMO_BYTES }),
        seed,
        fc.nat({ max: 643 }),
        fc.integer({ min: 1, max: 255 }),
        (amount, memo, r, i, d) => {
          const plaintext = {
            value: { kind: "token" as const, asset: SERO_ASSET_ID, amount },
            g: owner.g,
            rcm: randomFr(r),
            memo,
          };
          const bytes = encodePlaintext(plaintext);
          expect(encodePlaintext(decodePlaintext(bytes))).toEqual(bytes);
          const mutated = mutate(bytes, i, d, decodePlaintext);
          if (mutated) {
            expect(encodePlaintext(decodePlaintext(mutated))).toEqual(mutated);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
