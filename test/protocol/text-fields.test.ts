/**
 * Client text and lengths (PROTOCOL.md §8): invalid UTF-8, lone surrogates,
 * names past their field and lengths past their prefix are refused with a
 * stable code, in either form; nothing escapes as a RangeError.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeUtf8 } from "../../src/codec/reader.ts";
import { ByteWriter } from "../../src/codec/writer.ts";
import { ProtocolError } from "../../src/protocol/errors.ts";
import { decodeTransaction, encodeTransaction } from "../../src/protocol/tx/codec.ts";
import { transactionFromJson, transactionToJson } from "../../src/protocol/tx/json.ts";
import type { RegisterTx } from "../../src/protocol/tx/types.ts";
import { sampleRegister } from "./fixtures.ts";

function code(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(ProtocolError);
    return (e as ProtocolError).code;
  }
}

const register = sampleRegister();
/** Printable ASCII, other code points, and lone surrogates (which `fc.string`'s units never produce). */
const anyCodeUnit = fc.oneof(
  fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 1 }),
  fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((u) => String.fromCharCode(u)),
);
const named = (name: string): RegisterTx => ({ ...register, registration: { ...register.registration, name } });

/** The register encoding with its name field (after version, kind and asset kind) replaced by raw bytes. */
function withNameBytes(name: Uint8Array): Uint8Array {
  const bytes = encodeTransaction(register);
  const nameAt = 3;
  const oldLength = 2 + register.registration.name.length;
  return Uint8Array.of(
    ...bytes.subarray(0, nameAt),
    ...new ByteWriter().u16(name.length).bytes(name).finish(),
    ...bytes.subarray(nameAt + oldLength),
  );
}

describe("the codec refuses what does not fit, with a code", () => {
  it("lengths and numbers past their field", () => {
    expect(code(() => new ByteWriter().varBytes(new Uint8Array(65_536)))).toBe("too_long");
    expect(code(() => new ByteWriter().varBytes(new Uint8Array(65_535)))).toBeUndefined();
    expect(code(() => new ByteWriter().u8(256))).toBe("out_of_range");
    expect(code(() => new ByteWriter().u16(-1))).toBe("out_of_range");
    expect(code(() => new ByteWriter().uint(1n << 128n, 16))).toBe("out_of_range");
  });

  it("text that is not well-formed, both ways", () => {
    expect(code(() => new ByteWriter().varText("a\ud800"))).toBe("bad_encoding");
    expect(code(() => decodeUtf8(Uint8Array.of(0x61, 0xff), "text"))).toBe("bad_encoding");
    expect(code(() => decodeUtf8(Uint8Array.of(0xed, 0xa0, 0x80), "text"))).toBe("bad_encoding"); // a surrogate in UTF-8
    expect(decodeUtf8(Uint8Array.of(0xef, 0xbb, 0xbf, 0x61), "text")).toBe("\ufeffa"); // a BOM is text, not dropped
  });
});

describe("asset names, in binary and JSON", () => {
  it("22,000 0xff bytes: refused where they enter, in either form, never a RangeError", () => {
    const ff = new Uint8Array(22_000).fill(0xff);
    expect(code(() => decodeTransaction(withNameBytes(ff)))).toBe("too_long");
    const replaced = new TextDecoder().decode(ff); // what a lenient reader would have made of them
    expect(code(() => transactionFromJson({ ...transactionToJson(register), name: replaced }))).toBe("bad_json");
    expect(code(() => encodeTransaction(named(replaced)))).toBe("too_long");
  });

  it("invalid UTF-8, non-ASCII and over-long names are refused in binary", () => {
    expect(code(() => decodeTransaction(withNameBytes(Uint8Array.of(0x55, 0xff))))).toBe("bad_encoding");
    expect(code(() => decodeTransaction(withNameBytes(new TextEncoder().encode("USDÉ"))))).toBe("bad_name");
    expect(code(() => decodeTransaction(withNameBytes(new Uint8Array(33).fill(0x41))))).toBe("too_long");
    expect(decodeTransaction(withNameBytes(new Uint8Array(32).fill(0x41)))).toMatchObject({
      registration: { name: "A".repeat(32) },
    });
  });

  it("lone surrogates, non-ASCII and over-long names are refused in JSON", () => {
    const json = transactionToJson(register);
    expect(code(() => transactionFromJson({ ...json, name: "USD\ud800" }))).toBe("bad_json");
    expect(code(() => transactionFromJson({ ...json, name: "USDÉ" }))).toBe("bad_name");
    expect(code(() => transactionFromJson({ ...json, name: "A".repeat(33) }))).toBe("bad_json");
    expect(code(() => transactionFromJson({ ...json, issuer: "\udc00".repeat(64) }))).toBe("bad_json");
  });

  it("any name string: refused with a code, or parsed into a transaction that encodes and decodes back", () => {
    const json = transactionToJson(register);
    fc.assert(
      fc.property(fc.string({ unit: anyCodeUnit, maxLength: 60 }), (name) => {
        let tx: RegisterTx;
        try {
          tx = transactionFromJson({ ...json, name }) as RegisterTx;
        } catch (e) {
          expect(e).toBeInstanceOf(ProtocolError);
          return;
        }
        expect(decodeTransaction(encodeTransaction(tx))).toEqual(tx);
      }),
      { numRuns: 300 },
    );
  });
});
