/** Property tests: every protocol encoding round-trips, and mutations never decode to the same value. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bigintToBytesBE, bytesToBigintBE, toHex } from "../../src/codec/bytes.ts";
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
import { FR_MODULUS, type Fr } from "../../src/protocol/field.ts";
import { decodeViewingKey, deriveSpendingKeys, encodeViewingKey } from "../../src/protocol/keys.ts";
import { randomFr } from "../../src/protocol/note.ts";
import { decodeText, encodeText } from "../../src/protocol/text.ts";
import { decodeTransaction, encodeTransaction, encodeUnsigned } from "../../src/protocol/tx/codec.ts";
import { txId } from "../../src/protocol/tx/hashes.ts";
import { transactionFromJson, transactionToJson } from "../../src/protocol/tx/json.ts";
import {
  ENC_CIPHERTEXT_BYTES,
  OUT_CIPHERTEXT_BYTES,
  PROOF_BYTES,
  type ShieldedSpend,
  TRANSFER_SHAPES,
  type Transaction,
} from "../../src/protocol/tx/types.ts";
import { validateBasic } from "../../src/protocol/tx/validate.ts";
import { sampleIssue, sampleRegister } from "./fixtures.ts";

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

const bytes = (length: number) => fc.uint8Array({ minLength: length, maxLength: length });
const fr = fc.bigInt({ min: 0n, max: FR_MODULUS - 1n }).map((x) => x as Fr);
const canonicalEpk = bytes(32).map((b) => b.map((x, i) => (i === 31 ? x & 0x3f : x)));

/** Any fee payment validateBasic accepts (§8.9): a known shape, distinct nullifiers and commitments. */
const payment: fc.Arbitrary<ShieldedSpend> = fc.constantFrom(...TRANSFER_SHAPES).chain((shape) =>
  fc.record({
    anchor: fr,
    nullifiers: fc.uniqueArray(fr, { minLength: shape.inputs, maxLength: shape.inputs }),
    fee: fc.bigInt({ min: 0n, max: AMOUNT_LIMIT - 1n }),
    outputs: fc.uniqueArray(
      fc.record({
        commitment: fr,
        viewTag: fc.nat({ max: 255 }),
        encCiphertext: bytes(ENC_CIPHERTEXT_BYTES),
        outCiphertext: bytes(OUT_CIPHERTEXT_BYTES),
      }),
      { minLength: shape.outputs, maxLength: shape.outputs, selector: (o) => o.commitment },
    ),
    proof: bytes(PROOF_BYTES),
  }),
);

/** Paid registrations and issuances: the sample bodies with any payment, epk and signature. */
const paidTx: fc.Arbitrary<Transaction> = fc
  .tuple(fc.constantFrom(sampleRegister(), sampleIssue()), payment, canonicalEpk, bytes(64))
  .map(([tx, p, epk, signature]) => ({ ...tx, payment: p, epk, signature }));

describe("encodings (property)", () => {
  it("big-endian integers read word by word equal the byte-by-byte reading, at every length", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70 }), (bytes) => {
        const value = bytesToBigintBE(bytes);
        expect(value).toBe(bytes.length === 0 ? 0n : BigInt(`0x${toHex(bytes)}`));
        expect(bigintToBytesBE(value, bytes.length)).toEqual(bytes);
      }),
      { numRuns: 500 },
    );
  });

  it("paid registrations and issuances round-trip in binary and JSON; mutations are refused or change the id, unless they touch only the proof or signature", () => {
    fc.assert(
      fc.property(paidTx, fc.nat(), fc.integer({ min: 1, max: 255 }), (tx, at, delta) => {
        const encoded = encodeTransaction(validateBasic(tx));
        expect(encodeTransaction(validateBasic(decodeTransaction(encoded)))).toEqual(encoded);
        const json = JSON.parse(JSON.stringify(transactionToJson(tx)));
        expect(encodeTransaction(validateBasic(transactionFromJson(json)))).toEqual(encoded);
        const index = at % encoded.length;
        const mutated = mutate(encoded, index, delta, (b) => validateBasic(decodeTransaction(b)));
        if (mutated) {
          expect(encodeTransaction(decodeTransaction(mutated))).toEqual(mutated);
          // The id leaves out the authorizing data, the payment's proof and the signature, which follow the body (§8.8).
          const authorizing = index >= encodeUnsigned(tx).length;
          expect(toHex(txId(decodeTransaction(mutated))) === toHex(txId(tx))).toBe(authorizing);
        }
      }),
      { numRuns: 60 },
    );
  });

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
