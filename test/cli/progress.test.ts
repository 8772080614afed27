/** What sero prints while it works: counted words, no prover internals, nothing for a sync with nothing new. */
import { describe, expect, it } from "vitest";
import { feeText } from "../../src/cli/amount.ts";
import { Progress } from "../../src/cli/progress.ts";

function captured(isTTY: boolean) {
  const out: string[] = [];
  return { out, progress: new Progress({ isTTY, write: (t: string) => out.push(t) }, false) };
}

describe("progress lines", () => {
  it("counts outputs in words, and says nothing while no new block was read", () => {
    const { out, progress } = captured(false);
    progress.sync({ height: 11, tip: 11, blocks: 0, outputs: 0, elapsedMs: 5 });
    expect(out).toEqual([]);
    progress.sync({ height: 11, tip: 11, blocks: 1, outputs: 1, elapsedMs: 5 });
    expect(out.join("")).toContain(" 1 output ");
    progress.sync({ height: 12, tip: 12, blocks: 2, outputs: 2, elapsedMs: 5 });
    expect(out.join("")).toContain(" 2 outputs ");
  });

  it("shows a proof's share done, never the prover's log lines", () => {
    for (const isTTY of [true, false]) {
      const { out, progress } = captured(isTTY);
      progress.proof("proving the payment", { stage: "prove", fraction: 0.72, detail: "Reading B2 Points" });
      progress.proof("proving the payment", { stage: "done", fraction: 1, detail: "done" });
      progress.done();
      expect(out.join("")).toContain("proving the payment: 72%");
      expect(out.join("")).not.toContain("Reading");
    }
  });

  it("writes a tiny fee in base units, a larger one in SERO", () => {
    expect(feeText(1000n)).toBe("1000 base units of SERO");
    expect(feeText(10n ** 18n / 2n)).toBe("0.5 SERO");
    expect(feeText(0n)).toBe("0 SERO");
  });
});
