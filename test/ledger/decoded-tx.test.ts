/** One decoding gives the same id and the same verdict as decoding for each apart (PROTOCOL.md §8.8). */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toHex } from "../../src/codec/bytes.ts";
import { decodeWithId } from "../../src/ledger/decoded-tx.ts";
import { ProtocolError } from "../../src/protocol/errors.ts";
import { decodeTransaction, encodeTransaction } from "../../src/protocol/tx/codec.ts";
import { txIdOfBytes } from "../../src/protocol/tx/hashes.ts";
import { validateBasic } from "../../src/protocol/tx/validate.ts";
import {
  sampleCall,
  sampleDeploy,
  sampleGenesis,
  sampleIssue,
  sampleRegister,
  sampleTransfer,
} from "../protocol/fixtures.ts";

/** What the ledger and the pool computed before: the verdict of a second decoding. */
function decodedApart(bytes: Uint8Array): string {
  try {
    return toHex(encodeTransaction(validateBasic(decodeTransaction(bytes))));
  } catch (e) {
    if (e instanceof ProtocolError) {
      return `refused ${e.code}`;
    }
    throw e;
  }
}

const samples = [sampleTransfer(), sampleRegister(), sampleIssue(), sampleGenesis(), sampleDeploy(), sampleCall()].map(
  encodeTransaction,
);

describe("decodeWithId", () => {
  it("property: the id is txIdOfBytes and the verdict is validateBasic's, on valid, mutated and truncated bytes", () => {
    const mutated = fc
      .record({
        sample: fc.constantFrom(...samples),
        flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 3 }),
        cut: fc.option(fc.nat(), { nil: undefined }),
      })
      .map(({ sample, flips, cut }) => {
        const bytes = sample.slice(0, cut === undefined ? sample.length : cut % (sample.length + 1));
        for (const [at, x] of flips) {
          if (bytes.length > 0) {
            bytes[at % bytes.length] = (bytes[at % bytes.length] as number) ^ x;
          }
        }
        return bytes;
      });
    fc.assert(
      fc.property(fc.oneof(mutated, fc.uint8Array({ maxLength: 64 })), (bytes) => {
        const { id, tx } = decodeWithId(bytes);
        expect(toHex(id)).toBe(toHex(txIdOfBytes(bytes)));
        const verdict = tx instanceof ProtocolError ? `refused ${tx.code}` : toHex(encodeTransaction(tx));
        expect(verdict).toBe(decodedApart(bytes));
      }),
      { numRuns: 400 },
    );
  });

  it("a remembered result stays with the bytes it was computed for, whatever the caller does with its buffer", () => {
    fc.assert(
      fc.property(fc.constantFrom(...samples), fc.nat(), fc.integer({ min: 1, max: 255 }), (sample, at, x) => {
        const expected = decodedApart(sample);
        const buffer = sample.slice();
        const first = decodeWithId(buffer);
        // The same buffer changed in place: a new key, and the first result untouched.
        buffer[at % buffer.length] = (buffer[at % buffer.length] as number) ^ x;
        const changed = decodeWithId(buffer);
        expect(toHex(changed.id)).toBe(toHex(txIdOfBytes(buffer)));
        const verdictOf = ({ tx }: { tx: unknown }) =>
          tx instanceof ProtocolError ? `refused ${tx.code}` : toHex(encodeTransaction(tx as never));
        expect(verdictOf(changed)).toBe(decodedApart(buffer));
        const again = decodeWithId(sample.slice());
        expect(again).toBe(first);
        expect(verdictOf(again)).toBe(expected);
        expect(toHex(again.id)).toBe(toHex(txIdOfBytes(sample)));
      }),
      { numRuns: 200 },
    );
  });
});
