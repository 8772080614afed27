/** What the explorer's search box and paths accept, and what they refuse before any read. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { classifyQuery, heightOf, hex32Of } from "../../src/explorer/params.ts";

describe("explorer inputs", () => {
  it("reads heights only as canonical whole numbers up to 2^40", () => {
    expect(heightOf("0")).toBe(0);
    expect(heightOf("1099511627776")).toBe(2 ** 40);
    for (const bad of ["", "01", "-1", "1.5", "1e3", " 1", "0x10", "1099511627777", "9".repeat(30)]) {
      expect(heightOf(bad), bad).toBeUndefined();
    }
  });

  it("lower-cases 32-byte ids and refuses any other length or digit", () => {
    expect(hex32Of("AB".repeat(32))).toBe("ab".repeat(32));
    expect(hex32Of("ab".repeat(31))).toBeUndefined();
    expect(hex32Of(`${"ab".repeat(31)}ag`)).toBeUndefined();
  });

  it("classifies every kind of search", () => {
    expect(classifyQuery(" 42 ")).toEqual({ kind: "height", height: 42 });
    expect(classifyQuery("CD".repeat(32))).toEqual({ kind: "hex32", hex: "cd".repeat(32) });
    expect(classifyQuery("SEROC1ABC")).toEqual({ kind: "contract", text: "seroc1abc" });
    expect(classifyQuery(`0x${"A".repeat(40)}`)).toEqual({ kind: "evm", hex: "a".repeat(40) });
    expect(classifyQuery("gold")).toEqual({ kind: "asset", name: "GOLD" });
    expect(classifyQuery("VIP_PASS")).toEqual({ kind: "asset", name: "VIP_PASS" });
    for (const bad of ["", "not a thing", "<script>", "1.5", "_X", "A".repeat(33)]) {
      expect(classifyQuery(bad), bad).toBeUndefined();
    }
  });

  it("classifies any text as one kind or none, never throwing", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const query = classifyQuery(text);
        expect(query === undefined || ["height", "hex32", "contract", "evm", "asset"].includes(query.kind)).toBe(true);
      }),
    );
  });
});
