import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CompactPage, compactParts, decodeCompactPage, encodeCompactPage } from "../../src/protocol/compact.ts";
import { ENC_CIPHERTEXT_BYTES, OUT_CIPHERTEXT_BYTES } from "../../src/protocol/encryption/encrypt.ts";
import { FR_MODULUS, type Fr } from "../../src/protocol/field.ts";
import { sampleGenesis, sampleIssue, sampleRegister, sampleTransfer } from "./fixtures.ts";

const fr = fc.bigInt({ min: 0n, max: FR_MODULUS - 1n }).map((x) => x as Fr);
const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });

const output = fc.record({
  position: fc.nat({ max: 2 ** 32 - 1 }),
  commitment: fr,
  viewTag: fc.nat({ max: 255 }),
  encCiphertext: bytes(ENC_CIPHERTEXT_BYTES),
  outCiphertext: bytes(OUT_CIPHERTEXT_BYTES),
});

const tx = fc.record({
  id: bytes(32),
  kind: fc.constantFrom(
    "transfer" as const,
    "register" as const,
    "issue" as const,
    "genesis" as const,
    "deploy" as const,
    "call" as const,
  ),
  fee: fc.bigInt({ min: 0n, max: 2n ** 128n - 1n }),
  nullifiers: fc.array(fr, { maxLength: 4 }),
  epk: fc.option(bytes(32), { nil: null }),
  outputs: fc.array(output, { maxLength: 3 }),
  payouts: fc.array(
    fc.record({
      position: fc.nat({ max: 2 ** 32 - 1 }),
      commitment: fr,
      pkr: bytes(128),
      assetKind: fc.constantFrom("token" as const, "ticket" as const),
      assetRef: fr,
      value: bytes(32),
      rcm: fr,
    }),
    { maxLength: 2 },
  ),
});

const page = fc.record({
  blocks: fc.array(
    fc.record({
      height: fc.nat(),
      anchor: fr,
      shards: fc.array(fc.record({ index: fc.nat({ max: 2 ** 24 }), root: fr }), { maxLength: 2 }),
      txs: fc.array(tx, { maxLength: 3 }),
    }),
    { maxLength: 3 },
  ),
  tip: fc.option(fc.nat(), { nil: null }),
  next: fc.option(fc.nat(), { nil: null }),
});

/** Plain data of a decoded page. */
const plain = (p: CompactPage) =>
  JSON.parse(
    JSON.stringify(p, (_k, v) => (typeof v === "bigint" ? v.toString() : v instanceof Uint8Array ? [...v] : v)),
  );
/** A decoded page with every output field read (they are read lazily, in place). */
const withCommitments = (p: CompactPage): CompactPage => ({
  ...p,
  blocks: p.blocks.map((b) => ({
    ...b,
    txs: b.txs.map((t) => ({
      ...t,
      outputs: t.outputs.map((o) => ({
        position: o.position,
        commitment: o.commitment,
        viewTag: o.viewTag,
        encCiphertext: o.encCiphertext,
        outCiphertext: o.outCiphertext,
      })),
    })),
  })),
});

describe("binary compact pages (PROTOCOL.md §9)", () => {
  it("round-trips every page, with one encoding", () => {
    fc.assert(
      fc.property(page, (p) => {
        const encoded = encodeCompactPage(p);
        const decoded = decodeCompactPage(encoded);
        expect(plain(withCommitments(decoded))).toEqual(plain(p));
        expect(encodeCompactPage(withCommitments(decoded))).toEqual(encoded);
      }),
      { numRuns: 60 },
    );
  });

  it("refuses truncation, trailing bytes, unknown versions and kinds, and counts that cannot fit", () => {
    const sample: CompactPage = {
      tip: 3,
      next: null,
      blocks: [
        {
          height: 3,
          anchor: 5n as Fr,
          shards: [],
          txs: [
            { id: new Uint8Array(32), kind: "transfer", fee: 1n, nullifiers: [], epk: null, outputs: [], payouts: [] },
          ],
        },
      ],
    };
    const good = encodeCompactPage(sample);
    expect(() => decodeCompactPage(good.subarray(0, good.length - 1))).toThrow(
      expect.objectContaining({ code: "truncated" }),
    );
    expect(() => decodeCompactPage(Uint8Array.of(...good, 0))).toThrow(
      expect.objectContaining({ code: "trailing_bytes" }),
    );
    expect(() => decodeCompactPage(Uint8Array.of(3, ...good.subarray(1)))).toThrow(
      expect.objectContaining({ code: "unknown_version" }),
    );
    const badKind = Uint8Array.from(good);
    badKind[1 + 8 + 8 + 4 + 8 + 32 + 4 + 4 + 32] = 9;
    expect(() => decodeCompactPage(badKind)).toThrow(expect.objectContaining({ code: "unknown_kind" }));
    // A block count of 2^32 - 1 is refused before anything is allocated.
    const huge = Uint8Array.from(good);
    huge.set([0xff, 0xff, 0xff, 0xff], 17);
    expect(() => decodeCompactPage(huge)).toThrow(expect.objectContaining({ code: "truncated" }));
  });

  it("reads a commitment only when asked, and refuses one that is not a field element", () => {
    const out = {
      position: 0,
      commitment: 1n as Fr,
      viewTag: 0,
      encCiphertext: new Uint8Array(ENC_CIPHERTEXT_BYTES),
      outCiphertext: new Uint8Array(OUT_CIPHERTEXT_BYTES),
    };
    const encoded = encodeCompactPage({
      tip: 0,
      next: null,
      blocks: [
        {
          height: 0,
          anchor: 0n as Fr,
          shards: [],
          txs: [
            {
              id: new Uint8Array(32),
              kind: "genesis",
              fee: 0n,
              nullifiers: [],
              epk: new Uint8Array(32),
              outputs: [out],
              payouts: [],
            },
          ],
        },
      ],
    });
    const offset = encoded.length - 2 - OUT_CIPHERTEXT_BYTES - ENC_CIPHERTEXT_BYTES - 1 - 32;
    encoded.fill(0xff, offset, offset + 32);
    const decoded = decodeCompactPage(encoded);
    const first = decoded.blocks[0]?.txs[0]?.outputs[0];
    expect(first?.viewTag).toBe(0);
    expect(() => first?.commitment).toThrow(expect.objectContaining({ code: "field_out_of_range" }));
  });

  it("a registration's or issuance's compact form is its fee payment's spend, then its issued outputs, under its epk", () => {
    const issue = sampleIssue();
    expect(compactParts(issue)).toEqual({
      fee: issue.payment.fee,
      nullifiers: issue.payment.nullifiers,
      epk: issue.epk,
      outputs: [...issue.payment.outputs, ...issue.outputs],
    });
    const register = sampleRegister();
    expect(compactParts(register)).toEqual({
      fee: register.payment.fee,
      nullifiers: register.payment.nullifiers,
      epk: register.epk,
      outputs: register.payment.outputs,
    });
    const transfer = sampleTransfer();
    expect(compactParts(transfer)).toMatchObject({ fee: transfer.fee, nullifiers: transfer.nullifiers });
    expect(compactParts(sampleGenesis())).toMatchObject({ fee: 0n, nullifiers: [] });
  });
});
