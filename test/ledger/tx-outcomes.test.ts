import { describe, expect, it } from "vitest";
import { TxOutcomes } from "../../src/ledger/tx-outcomes.ts";
import type { TxId } from "../../src/protocol/tx/hashes.ts";

const id = (n: number) => new Uint8Array(32).fill(n) as TxId;

describe("recent transaction outcomes", () => {
  it("keeps a block's verdict over a later drop of the same id, and the latest drop otherwise", () => {
    const outcomes = new TxOutcomes(10);
    outcomes.settle(id(1), { status: "committed", height: 3 });
    outcomes.drop(id(1), 4, "nullifier_spent"); // another encoding of the same transaction, dropped after it committed
    expect(outcomes.get(id(1))).toEqual({ status: "committed", height: 3 });
    outcomes.drop(id(2), 4, "evicted");
    outcomes.drop(id(2), 9, "expired"); // submitted again, dropped again
    expect(outcomes.get(id(2))).toEqual({ status: "dropped", height: 9, code: "expired" });
    outcomes.settle(id(2), { status: "committed", height: 12 }); // and committed at last
    expect(outcomes.get(id(2))).toEqual({ status: "committed", height: 12 });
  });

  it("is bounded: the least recently recorded go first", () => {
    const outcomes = new TxOutcomes(3);
    for (let i = 1; i <= 4; i++) {
      outcomes.drop(id(i), i, "evicted");
    }
    outcomes.drop(id(2), 5, "expired"); // recorded again: now the newest
    outcomes.drop(id(5), 6, "evicted");
    expect([1, 2, 3, 4, 5].map((i) => (outcomes.get(id(i)) as { code?: string } | undefined)?.code ?? null)).toEqual([
      null,
      "expired",
      null,
      "evicted",
      "evicted",
    ]);
  });
});
