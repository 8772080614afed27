/** Caller identities (PROTOCOL.md §10.1): reproducible from the seed, distinct per index, signing as their key. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toHex } from "../../src/codec/bytes.ts";
import {
  decodeOneTimeAddress,
  encodeOneTimeAddress,
  oneTimeAddressAt,
  recognizesOneTimeAddress,
} from "../../src/protocol/address.ts";
import { deriveSpendingKeys } from "../../src/protocol/keys.ts";
import { signTransaction, verifyTransactionSignature } from "../../src/protocol/tx/signature.ts";
import { CALLER_INDEX_BASE, callerOf, callerSecret, MAX_IDENTITY } from "../../src/wallet/caller.ts";
import { account, sampleCall } from "../protocol/fixtures.ts";

const keys = account("identity owner");
const stranger = account("identity stranger");

describe("caller identities", () => {
  it("are the same for the same seed and index, whoever derives them", () => {
    const restored = deriveSpendingKeys(Uint8Array.from(keys.seed));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_IDENTITY }), (i) => {
        const a = callerOf(keys, i);
        const b = callerOf(restored, i);
        expect(toHex(a.pkr)).toBe(toHex(b.pkr));
        expect(toHex(a.key)).toBe(toHex(b.key));
      }),
      { numRuns: 8 },
    );
  });

  it("differ across indexes and accounts, and only their own account recognizes the PKr", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: MAX_IDENTITY }), { minLength: 2, maxLength: 3 }),
        (indexes) => {
          const callers = indexes.map((i) => callerOf(keys, i));
          const theirs = indexes.map((i) => callerOf(stranger, i));
          const all = [...callers, ...theirs];
          expect(new Set(all.map((c) => toHex(c.pkr))).size).toBe(all.length);
          expect(new Set(all.map((c) => toHex(c.key))).size).toBe(all.length);
          for (const c of callers) {
            expect(recognizesOneTimeAddress(keys, decodeOneTimeAddress(c.pkr))).toBe(true);
            expect(recognizesOneTimeAddress(stranger, decodeOneTimeAddress(c.pkr))).toBe(false);
          }
        },
      ),
      { numRuns: 5 },
    );
  });

  it("take the one-time addresses at 2^31 + i, never one `sero address --index` hands out", () => {
    const pkr = toHex(callerOf(keys, 7).pkr);
    expect(pkr).toBe(toHex(encodeOneTimeAddress(oneTimeAddressAt(keys, CALLER_INDEX_BASE + 7))));
    expect(pkr).not.toBe(toHex(encodeOneTimeAddress(oneTimeAddressAt(keys, 7))));
  });

  it("sign with the key they name; another index's key does not verify", () => {
    const caller = callerOf(keys, 3);
    const tx = signTransaction({ ...sampleCall(), caller }, "chain", callerSecret(keys, 3));
    const forged = signTransaction({ ...sampleCall(), caller }, "chain", callerSecret(keys, 4));
    expect(() => verifyTransactionSignature(tx, "chain", caller.key)).not.toThrow();
    expect(() => verifyTransactionSignature(forged, "chain", caller.key)).toThrow();
  });

  it("refuses indexes outside 0..2^31-1", () => {
    for (const bad of [-1, CALLER_INDEX_BASE, 1.5, Number.NaN]) {
      expect(() => callerOf(keys, bad)).toThrow(expect.objectContaining({ code: "bad_identity" }));
    }
  });
});
