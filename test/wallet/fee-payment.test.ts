/** Planning a registration's or issuance's fee payment from the account's notes (PROTOCOL.md §8.9). */
import { describe, expect, it } from "vitest";
import { committedValue } from "../../src/protocol/asset.ts";
import { NoteScanner } from "../../src/protocol/encryption/scan.ts";
import { deriveSpendingKeys } from "../../src/protocol/keys.ts";
import { AccountState } from "../../src/wallet/account-state.ts";
import { feePaymentLock, planFeePayment } from "../../src/wallet/fee-payment.ts";
import { NodeClient } from "../../src/wallet/node-client.ts";
import { NoteTree } from "../../src/wallet/note-tree.ts";
import { syncAccount } from "../../src/wallet/sync.ts";
import { fakeNode, syntheticChain } from "../fixtures/wallet/synthetic-chain.ts";

const keys = deriveSpendingKeys(new Uint8Array(32).fill(0x6b));
// 24 notes of the account of growing amounts, none spent.
const chain = syntheticChain(
  { blocks: 24, txsPerBlock: 3, outputsPerTx: 2, walletEvery: 3, spendAfter: 0, seed: "fee payment test" },
  keys,
);

async function synced(): Promise<AccountState> {
  const state = AccountState.startingAt(keys, 0, NoteTree.empty(), undefined);
  const client = new NodeClient("http://node.test", { fetch: fakeNode(chain) });
  await syncAccount(state, client, await NoteScanner.create(keys), { save: async () => {} });
  return state;
}

const amounts = (state: AccountState) =>
  state
    .spendable()
    .map((n) => ({ position: n.position, amount: committedValue(n.note.value).amount }))
    .sort((a, b) => (b.amount > a.amount ? 1 : b.amount < a.amount ? -1 : 0));

describe("fee payment planning", () => {
  it("pays from the largest note at the synced anchor, and a locked note is not planned again", async () => {
    const state = await synced();
    const [largest, next] = amounts(state);
    const plan = planFeePayment(state, keys, 1_000n);
    expect(plan.positions).toEqual([largest?.position]);
    expect(plan.anchor).toBe(state.anchor);
    expect(plan.spends[0]?.path.position).toBe(largest?.position);
    const lock = feePaymentLock("aa".repeat(32), plan, state, 100);
    expect(lock.change).toEqual([{ ...plan.spends[0]?.note.value, amount: (largest?.amount ?? 0n) - 1_000n }]);
    state.lock(lock);
    // A second payment while the first is in flight cannot spend the same note.
    expect(planFeePayment(state, keys, 1_000n).positions).toEqual([next?.position]);
  });

  it("takes up to one transaction's inputs; beyond that asks for a merge; beyond the balance refuses", async () => {
    const state = await synced();
    const sorted = amounts(state);
    const sum = (n: number) => sorted.slice(0, n).reduce((s, x) => s + x.amount, 0n);
    expect(planFeePayment(state, keys, sum(3)).positions).toEqual(sorted.slice(0, 3).map((x) => x.position));
    // More than the 4 largest notes hold, and enough for the merges that would gather it.
    const needsFive = sum(4) + 1n;
    expect(sum(sorted.length)).toBeGreaterThan(3n * needsFive);
    expect(() => planFeePayment(state, keys, needsFive)).toThrow(expect.objectContaining({ code: "fee_needs_merge" }));
    expect(() => planFeePayment(state, keys, sum(sorted.length) + 1n)).toThrow(
      expect.objectContaining({ code: "insufficient_funds" }),
    );
  });
});
