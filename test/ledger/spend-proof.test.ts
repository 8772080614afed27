/** A spend's proof statement (PROTOCOL.md §8.2), remembered per transaction and chain, stays with them. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { spendProof } from "../../src/ledger/spend-proof.ts";
import { bindingHash } from "../../src/protocol/tx/hashes.ts";
import { type PayingTx, shieldedSpendOf } from "../../src/protocol/tx/types.ts";
import { sampleCall, sampleDeploy, sampleIssue, sampleRegister, sampleTransfer } from "../protocol/fixtures.ts";

const txs: PayingTx[] = [sampleTransfer(), sampleRegister(), sampleIssue(), sampleDeploy(), sampleCall()];
const chains = ["sero-a", "sero-b", "sero-local"];

/** The statement computed afresh, field by field. */
function expected(tx: PayingTx, chainId: string) {
  const spend = shieldedSpendOf(tx);
  return {
    inputs: spend.nullifiers.length,
    outputs: spend.outputs.length,
    proof: spend.proof,
    publicInputs: [
      spend.anchor,
      ...spend.nullifiers,
      ...spend.outputs.map((o) => o.commitment),
      spend.fee,
      bindingHash(tx, chainId),
    ],
  };
}

describe("spendProof", () => {
  it("property: in any order of calls, each transaction and chain get their own statement", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...txs), fc.constantFrom(...chains)), { maxLength: 30 }),
        (calls) => {
          for (const [tx, chainId] of calls) {
            expect(spendProof(tx, chainId)).toEqual(expected(tx, chainId));
          }
        },
      ),
    );
  });

  it("another chain gets another binding, and a statement handed out cannot be changed", () => {
    const [tx] = txs as [PayingTx];
    const a = spendProof(tx, "sero-a");
    const b = spendProof(tx, "sero-b");
    expect(a.publicInputs.at(-1)).not.toBe(b.publicInputs.at(-1));
    expect(spendProof(tx, "sero-a")).toBe(a);
    expect(() => {
      (a.publicInputs as unknown as bigint[])[0] = 0n;
    }).toThrow(TypeError);
    expect(spendProof(tx, "sero-a")).toEqual(expected(tx, "sero-a"));
  });
});
