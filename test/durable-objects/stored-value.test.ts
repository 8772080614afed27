import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeStored, encodeStored } from "../../durable-objects/stored-value.ts";

const leaf = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.boolean(),
  fc.double(),
  fc.bigInt(),
  fc.string({ unit: "binary" }),
  fc.uint8Array({ maxLength: 64 }),
);
const plain = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, leaf, tie("array"), tie("map"), tie("set"), tie("object")),
  array: fc.array(tie("value"), { maxLength: 5 }),
  map: fc.array(fc.tuple(fc.oneof(fc.integer(), fc.string()), tie("value")), { maxLength: 5 }).map((e) => new Map(e)),
  set: fc.array(fc.oneof(fc.integer(), fc.string()), { maxLength: 5 }).map((e) => new Set(e)),
  object: fc.dictionary(
    fc.string().filter((k) => k !== "__proto__"),
    tie("value"),
    { maxKeys: 5, noNullPrototype: true },
  ),
})).value;

describe("stored values (what the consensus log and block store write)", () => {
  it("round-trips any plain value exactly", () => {
    fc.assert(
      fc.property(plain, (v) => {
        expect(isDeepStrictEqual(decodeStored(encodeStored(v)), v)).toBe(true);
      }),
    );
  });

  it("writes an object met twice once, and keeps it shared", () => {
    const batch = [new Uint8Array(10_000).fill(7)];
    const slot = { prePrepare: { batch }, commit: { batch } };
    const bytes = encodeStored(slot);
    expect(bytes.length).toBeLessThan(10_100);
    const back = decodeStored(bytes) as typeof slot;
    expect(back.commit.batch).toBe(back.prePrepare.batch);
    expect(back.prePrepare.batch[0]).toEqual(batch[0]);
  });

  it("refuses what it cannot encode, and truncated, extended or corrupted bytes", () => {
    expect(() => encodeStored(Symbol("s"))).toThrow(TypeError);
    expect(() => encodeStored(new Date())).toThrow(TypeError);
    const bytes = encodeStored({ a: [1, "x", new Uint8Array([1, 2])] });
    for (let cut = 0; cut < bytes.length; cut++) {
      expect(() => decodeStored(bytes.subarray(0, cut))).toThrow(RangeError);
    }
    expect(() => decodeStored(new Uint8Array([...bytes, 0]))).toThrow(/trailing/);
    expect(() => decodeStored(new Uint8Array([99]))).toThrow(/unknown tag/);
    expect(() => decodeStored(new Uint8Array([11, 0, 0, 0, 0]))).toThrow(/bad reference/);
  });
});
