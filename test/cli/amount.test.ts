import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatAmount, parseAmount } from "../../src/cli/amount.ts";

describe("amounts as people write them", () => {
  it("parses decimals into base units and back", () => {
    expect(parseAmount("1.5", 18)).toBe(1_500_000_000_000_000_000n);
    expect(parseAmount("250.75", 6)).toBe(250_750_000n);
    expect(parseAmount("7", 0)).toBe(7n);
    expect(formatAmount(1_500_000_000_000_000_000n, 18)).toBe("1.5");
    expect(formatAmount(1000n, 18)).toBe("0.000000000000001");
    expect(formatAmount(0n, 6)).toBe("0");
  });

  it("round-trips every amount", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 128n - 1n }), fc.integer({ min: 0, max: 38 }), (value, decimals) => {
        expect(parseAmount(formatAmount(value, decimals), decimals)).toBe(value);
      }),
    );
  });

  it("refuses what is not an amount, with a code", () => {
    for (const bad of ["", "-1", "1e3", "1.2.3", "0x10", " ", "1,5", "NaN", "1.0000001"]) {
      expect(() => parseAmount(bad, 6), bad).toThrow(expect.objectContaining({ code: "bad_amount" }));
    }
    expect(() => parseAmount("340282366920938463463374607431768211456", 0)).toThrow(
      expect.objectContaining({ code: "bad_amount" }),
    );
  });
});
