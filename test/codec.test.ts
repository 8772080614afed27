import { describe, expect, it } from "vitest";
import { fromHex, toHex } from "../src/codec/bytes.ts";
import { ByteReader } from "../src/codec/reader.ts";
import { ByteWriter } from "../src/codec/writer.ts";
import { ProtocolError } from "../src/protocol/errors.ts";

describe("codec", () => {
  it("round-trips fixed-width fields and refuses trailing bytes", () => {
    const bytes = new ByteWriter()
      .u8(7)
      .u16(513)
      .u32(2 ** 32 - 1)
      .uint(5n, 16)
      .varBytes(fromHex("abcd") as Uint8Array)
      .finish();
    const r = new ByteReader(bytes);
    expect([r.u8("a"), r.u16("b"), r.u32("c"), r.uint(16, "d"), toHex(r.varBytes(8, "e"))]).toEqual([
      7,
      513,
      2 ** 32 - 1,
      5n,
      "abcd",
    ]);
    r.finish("x");
    const longer = new ByteReader(new Uint8Array([...bytes, 0]));
    longer.bytesFixed(bytes.length, "all");
    expect(() => longer.finish("x")).toThrow(ProtocolError);
  });

  it("accepts only lowercase even-length hex", () => {
    expect(fromHex("0A")).toBeUndefined();
    expect(fromHex("abc")).toBeUndefined();
    expect(fromHex("0x00")).toBeUndefined();
    expect(toHex(fromHex("00ff") as Uint8Array)).toBe("00ff");
  });
});
