/**
 * Payouts in sync (PROTOCOL.md §10.4): a contract's payout to one of the
 * account's PKrs becomes a spendable note with a path to the anchor; anyone
 * else's is only a leaf; a node that reports a payout to us under another
 * commitment is caught before the note is recorded.
 */
import { describe, expect, it } from "vitest";
import { toHex } from "../../src/codec/bytes.ts";
import { ByteWriter } from "../../src/codec/writer.ts";
import { tokenId } from "../../src/protocol/asset.ts";
import type { CompactPayout } from "../../src/protocol/compact.ts";
import { payoutRcm } from "../../src/protocol/contract-notes.ts";
import { NoteScanner } from "../../src/protocol/encryption/scan.ts";
import type { Fr } from "../../src/protocol/field.ts";
import { noteCommitment } from "../../src/protocol/note.ts";
import { AccountState } from "../../src/wallet/account-state.ts";
import { NodeClient } from "../../src/wallet/node-client.ts";
import { NoteTree } from "../../src/wallet/note-tree.ts";
import { publicValueOf } from "../../src/wallet/public-value.ts";
import { spendInputs } from "../../src/wallet/spend-inputs.ts";
import { syncAccount } from "../../src/wallet/sync.ts";
import { payoutBlock, payoutTo } from "../fixtures/wallet/payouts.ts";
import { fakeNode } from "../fixtures/wallet/synthetic-chain.ts";
import { account, bytes32 } from "../protocol/fixtures.ts";

const keys = account("payout owner");
const stranger = account("payout stranger");
const GOLD = tokenId("GOLD");
const gold = (amount: bigint) => ({ kind: "token" as const, asset: GOLD, amount });
const payout = payoutTo;
const block = (payouts: readonly CompactPayout[], txId: Uint8Array) => payoutBlock(0, txId, payouts);

const fresh = () => AccountState.startingAt(keys, 0, NoteTree.empty(), undefined);

describe("payouts in sync", () => {
  it("records a payout to the account's PKr as a spendable note, and leaves a stranger's alone", async () => {
    const txId = bytes32("call tx");
    const theirs = payout(stranger, 0, txId, 0, 0, gold(5n));
    const ours = payout(keys, 4, txId, 1, 1, gold(70n));
    const state = fresh();
    await state.apply([block([theirs, ours], txId)], await NoteScanner.create(keys));
    state.checkAnchor();

    expect(state.spendable().map((n) => [n.position, n.note.value])).toEqual([
      [1, { kind: "token", asset: GOLD, amount: 70n }],
    ]);
    expect(state.balances().get(toHex(new ByteWriter().uint(GOLD, 32).finish()))?.spendable).toBe(70n);
    // Spendable: its commitment is the payout's, and its path leads to the block's anchor.
    const [input] = spendInputs(state, keys, [1]);
    expect(noteCommitment(input?.note as never)).toBe(ours.commitment);
    expect(state.pathOf(1).anchor).toBe(state.anchor);
    expect(state.history).toEqual([
      expect.objectContaining({
        txId: toHex(txId),
        kind: "call",
        fee: 0n,
        received: [],
        payouts: [{ value: input?.note.value }],
      }),
    ]);
    // The wallet file keeps it, and reads it back the same.
    expect(AccountState.fromJson(keys, JSON.parse(JSON.stringify(state.toJson()))).toJson()).toEqual(state.toJson());

    const strangerState = AccountState.startingAt(stranger, 0, NoteTree.empty(), undefined);
    await strangerState.apply([block([theirs, ours], txId)], await NoteScanner.create(stranger));
    expect(strangerState.spendable().map((n) => n.position)).toEqual([0]);
  });

  it("finds a payout in a binary sync page, as the node serves it (§9, page v2)", async () => {
    const txId = bytes32("paged payout");
    const chain = {
      blocks: [block([payout(keys, 2, txId, 0, 0, gold(3n))], txId)],
      outputs: 0,
      walletBalance: 0n,
      walletNotes: 0,
    };
    const state = fresh();
    const client = new NodeClient("http://node.test", { fetch: fakeNode(chain) });
    await syncAccount(state, client, await NoteScanner.create(keys), { save: async () => {} });
    expect(state.spendable().map((n) => n.note.value)).toEqual([gold(3n)]);
  });

  it("refuses a payout to its PKr whose commitment is not the one its fields make", async () => {
    const txId = bytes32("lying node");
    const honest = payout(keys, 0, txId, 0, 0, gold(9n));
    for (const lie of [
      { ...honest, value: publicValueOf(gold(9_000n)).value },
      { ...honest, rcm: payoutRcm(txId, 1) },
      { ...honest, commitment: (honest.commitment + 1n) as Fr },
    ]) {
      const state = fresh();
      await expect(state.apply([block([lie], txId)], await NoteScanner.create(keys))).rejects.toMatchObject({
        code: "bad_node_response",
      });
      expect(state.notes).toEqual([]);
    }
  });

  it("refuses a payout at a position the wallet's tree does not give it", async () => {
    const txId = bytes32("misplaced");
    const state = fresh();
    await expect(
      state.apply([block([payout(stranger, 0, txId, 0, 3, gold(1n))], txId)], await NoteScanner.create(keys)),
    ).rejects.toMatchObject({ code: "tree_mismatch" });
  });

  it("reads wallet files written before contracts (no payouts, no contract records)", () => {
    const json = fresh().toJson() as Record<string, unknown>;
    delete json.contracts;
    const state = AccountState.fromJson(keys, json);
    expect(state.contracts.all).toEqual([]);
    expect(state.contracts.freshIdentity()).toBe(0);
  });
});
