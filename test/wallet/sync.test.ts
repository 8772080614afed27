import { describe, expect, it } from "vitest";
import type { CompactBlock } from "../../src/protocol/compact.ts";
import { NoteScanner } from "../../src/protocol/encryption/scan.ts";
import type { Fr } from "../../src/protocol/field.ts";
import { deriveSpendingKeys } from "../../src/protocol/keys.ts";
import { AccountState } from "../../src/wallet/account-state.ts";
import { NodeClient } from "../../src/wallet/node-client.ts";
import { NoteTree } from "../../src/wallet/note-tree.ts";
import { syncAccount } from "../../src/wallet/sync.ts";
import { fakeNode, type SyntheticChain, syntheticChain } from "../fixtures/wallet/synthetic-chain.ts";

const keys = deriveSpendingKeys(new Uint8Array(32).fill(0x5a));
// 60 blocks of 3 two-output transfers: 360 leaves, so one shard completes; a note every 7th transfer.
const chain = syntheticChain(
  { blocks: 60, txsPerBlock: 3, outputsPerTx: 2, walletEvery: 7, spendAfter: 9, seed: "wallet sync test" },
  keys,
);
const PAGE = 10;

const fresh = () => AccountState.startingAt(keys, 0, NoteTree.empty(), undefined);
const client = (c: SyntheticChain = chain) => new NodeClient("http://node.test", { fetch: fakeNode(c, PAGE) });

async function syncAll(state: AccountState, options: { signal?: AbortSignal; stopAfterBlocks?: number } = {}) {
  const controller = new AbortController();
  return syncAccount(state, client(), await NoteScanner.create(keys), {
    save: async () => {},
    pageBlocks: PAGE,
    signal: controller.signal,
    onProgress: (p) => {
      if (options.stopAfterBlocks !== undefined && p.blocks >= options.stopAfterBlocks) {
        controller.abort();
      }
    },
  });
}

describe("wallet sync over compact blocks", () => {
  it("finds the account's notes, sees its spends, and keeps paths to the anchor", async () => {
    const state = fresh();
    expect(await syncAll(state)).toMatchObject({ height: 59, tip: 59, complete: true });
    const sero = [...state.balances().values()][0];
    expect(sero?.spendable).toBe(chain.walletBalance);
    expect(state.spendable()).toHaveLength(chain.walletNotes);
    expect(state.notes.filter((n) => n.spent).length).toBeGreaterThan(0);
    for (const note of state.spendable()) {
      expect(state.pathOf(note.position).anchor).toBe(state.anchor);
    }
    expect(state.history.filter((h) => h.received.length > 0)).toHaveLength(state.notes.length);
  });

  it("resumes after being stopped midway and ends in the same state as an uninterrupted sync", async () => {
    const whole = fresh();
    await syncAll(whole);
    const partial = fresh();
    const stopped = await syncAll(partial, { stopAfterBlocks: 2 * PAGE });
    expect(stopped.complete).toBe(false);
    expect(partial.syncedHeight).toBe(2 * PAGE - 1);
    // What the wallet file keeps, read back as a restarted process would.
    const restored = AccountState.fromJson(keys, JSON.parse(JSON.stringify(partial.toJson())));
    expect(await syncAll(restored)).toMatchObject({ complete: true });
    expect(restored.toJson()).toEqual(whole.toJson());
  });

  it("catches a node that lies about a shard root", async () => {
    const blocks = chain.blocks.map(
      (b): CompactBlock => ({ ...b, shards: b.shards.map((s) => ({ ...s, root: (s.root + 1n) as Fr })) }),
    );
    const liar = new NodeClient("http://node.test", { fetch: fakeNode({ ...chain, blocks }, PAGE) });
    await expect(
      syncAccount(fresh(), liar, await NoteScanner.create(keys), { save: async () => {}, pageBlocks: PAGE }),
    ).rejects.toMatchObject({ code: "tree_mismatch" });
  });

  it("locks notes of a send in flight and frees them when it expires", async () => {
    const state = fresh();
    const firstHalf = new NodeClient("http://node.test", {
      fetch: fakeNode({ ...chain, blocks: chain.blocks.slice(0, 30) }, PAGE),
    });
    const scanner = await NoteScanner.create(keys);
    await syncAccount(state, firstHalf, scanner, { save: async () => {}, pageBlocks: PAGE });
    const [note] = state.spendable();
    if (!note) {
      throw new Error("the wallet should hold a note by block 30");
    }
    state.lock({ txId: "ab".repeat(32), positions: [note.position], change: [], expiresAfter: 35 });
    expect(state.spendable().map((n) => n.position)).not.toContain(note.position);
    expect(() =>
      state.lock({ txId: "cd".repeat(32), positions: [note.position], change: [], expiresAfter: 35 }),
    ).toThrow(expect.objectContaining({ code: "note_unavailable" }));
    await syncAccount(state, client(), scanner, { save: async () => {}, pageBlocks: PAGE });
    const after = state.notes.find((n) => n.position === note.position);
    expect(after?.lockedBy === undefined).toBe(true);
    expect(state.pending).toHaveLength(0);
  });

  it("refuses a node that answers garbage, with a code", async () => {
    const garbage = new NodeClient("http://node.test", { fetch: (async () => new Response("<html>")) as typeof fetch });
    await expect(garbage.status()).rejects.toMatchObject({ code: "bad_node_response" });
    const wrongShape = new NodeClient("http://node.test", {
      fetch: (async () => new Response(JSON.stringify({ chainId: 5 }))) as typeof fetch,
    });
    await expect(wrongShape.status()).rejects.toMatchObject({ code: "bad_node_response" });
    expect(() => new NodeClient("ftp://x")).toThrow(expect.objectContaining({ code: "bad_node_url" }));
  });
});
