import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FailureThrottle } from "../../src/ledger/failure-throttle.ts";

const options = { burst: 3, refillMs: 1_000, maxSources: 4 };

describe("failure throttle", () => {
  it("refuses a source once its failures spend the burst, and forgives one per refill period", () => {
    const t = new FailureThrottle(options);
    for (let i = 0; i < 3; i++) {
      expect(t.allows("forger", 0)).toBe(true);
      t.recordFailure("forger", 0);
    }
    expect(t.allows("forger", 0)).toBe(false);
    expect(t.allows("forger", 999)).toBe(false);
    expect(t.allows("forger", 1_000)).toBe(true);
    t.recordFailure("forger", 1_000);
    expect(t.allows("forger", 1_500)).toBe(false);
  });

  it("never limits a source that does not fail, whatever others do", () => {
    const t = new FailureThrottle(options);
    for (let i = 0; i < 100; i++) {
      t.recordFailure("forger", i);
    }
    expect(t.allows("honest", 0)).toBe(true);
    expect(t.allows("forger", 100)).toBe(false);
  });

  it("stays bounded: the least recently failing source is forgotten first", () => {
    const t = new FailureThrottle(options);
    for (const source of ["a", "b", "c", "d", "e"]) {
      for (let i = 0; i < 3; i++) {
        t.recordFailure(source, 0);
      }
    }
    expect(t.allows("a", 0)).toBe(true); // forgotten
    expect(["b", "c", "d", "e"].map((s) => t.allows(s, 0))).toEqual([false, false, false, false]);
  });

  it("lets through at most burst + elapsed / refill failures over any schedule", () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 400 }), { maxLength: 200 }), (gaps) => {
        const t = new FailureThrottle(options);
        let now = 0;
        let admitted = 0;
        for (const gap of gaps) {
          now += gap;
          if (t.allows("x", now)) {
            admitted++;
            t.recordFailure("x", now);
          }
        }
        expect(admitted).toBeLessThanOrEqual(options.burst + now / options.refillMs + 1);
      }),
    );
  });
});
