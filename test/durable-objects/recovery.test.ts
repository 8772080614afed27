import { describe, expect, it } from "vitest";
import { rebuildPlan } from "../../durable-objects/recovery.ts";
import type { CommittedBlock, Divergence } from "../../src/consensus/index.ts";

const block = (seq: number) => ({ seq }) as CommittedBlock;
/** Blocks from..to retained, as the consensus core keeps the last blockRetention. */
const chain = (from: number, to: number) => (seq: number) => (seq >= from && seq <= to ? block(seq) : undefined);
const diverged = (seq: number, field: Divergence["field"] = "stateRoot"): Divergence => ({
  seq,
  field,
  own: new Uint8Array(32).fill(1),
  certified: new Uint8Array(32).fill(2),
});

describe("the plan to rebuild a diverged ledger from genesis", () => {
  it("re-executes the certified blocks 1..n, in order, and none after n", () => {
    const plan = rebuildPlan(diverged(16), chain(1, 20));
    expect(plan.ok && plan.blocks.map((b) => b.seq)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
  });

  it("names the blocks it lacks when the oldest ones are no longer retained", () => {
    expect(rebuildPlan(diverged(160), chain(33, 170))).toEqual({
      ok: false,
      why: "needs blocks 1..32, older than any replica at this height retains (blockRetention)",
    });
    expect(rebuildPlan(diverged(16), chain(1, 4))).toMatchObject({
      ok: false,
      why: expect.stringMatching(/^needs blocks 5\.\.16,/),
    });
  });

  it("refuses to rebuild from its own blocks when the chain itself differs from the quorum's", () => {
    const plan = rebuildPlan(diverged(16, "chainHash"), chain(1, 20));
    expect(plan).toMatchObject({ ok: false, why: expect.stringMatching(/not the quorum's/) });
  });
});
