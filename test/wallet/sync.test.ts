import { beforeAll, describe, expect, it } from "vitest";
import { type CompactBlock, decodeCompactPage, encodeCompactPage } from "../../src/protocol/compact.ts";
import { NoteScanner } from "../../src/protocol/encryption/scan.ts";
import type { Fr } from "../../src/protocol/field.ts";
import { deriveSpendingKeys } from "../../src/protocol/keys.ts";
import { AccountState } from "../../src/wallet/account-state.ts";
import { NodeClient } from "../../src/wallet/node-client.ts";
import { NoteTree } from "../../src/wallet/note-tree.ts";
import { syncAccount } from "../../src/wallet/sync.ts";
import { fakeNode, type SeenRequest, type SyntheticChain, syntheticChain } from "../fixtures/wallet/synthetic-chain.ts";

const keys = deriveSpendingKeys(new Uint8Array(32).fill(0x5a));
// 60 blocks of 3 two-output transfers: 360 leaves, so one shard completes; a note every 7th transfer.
const chain = syntheticChain(
  { blocks: 60, txsPerBlock: 3, outputsPerTx: 2, walletEvery: 7, spendAfter: 9, seed: "wallet sync test" },
  keys,
);
const PAGE = 10;

const fresh = () => AccountState.startingAt(keys, 0, NoteTree.empty(), undefined);
const client = (c: SyntheticChain = chain) => new NodeClient("http://node.test", { fetch: fakeNode(c, PAGE) });

/** The account synced over the whole chain in one go: what every other way of syncing must end in. */
const whole = fresh();
beforeAll(async () => {
  await syncAccount(whole, client(), await NoteScanner.create(keys), { save: async () => {}, pageBlocks: PAGE });
});

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

  it("keeps a send's notes locked through its last block, and frees them the block it expires", async () => {
    const scanner = await NoteScanner.create(keys);
    const upTo = (height: number) =>
      new NodeClient("http://node.test", {
        fetch: fakeNode({ ...chain, blocks: chain.blocks.slice(0, height + 1) }, PAGE),
      });
    // A note the chain spends 9 blocks after it arrived: a send expiring before that frees it.
    const note = whole.notes.find((n) => n.spent !== undefined && n.height > 0);
    if (!note) {
      throw new Error("the chain should pay the wallet a note it later spends");
    }
    const expiresAfter = note.height + 3;
    const state = fresh();
    await syncAccount(state, upTo(note.height), scanner, { save: async () => {}, pageBlocks: PAGE });
    state.lock({ txId: "ab".repeat(32), positions: [note.position], change: [], expiresAfter });
    expect(state.spendable().map((n) => n.position)).not.toContain(note.position);
    expect(() => state.lock({ txId: "cd".repeat(32), positions: [note.position], change: [], expiresAfter })).toThrow(
      expect.objectContaining({ code: "note_unavailable" }),
    );
    await syncAccount(state, upTo(expiresAfter - 1), scanner, { save: async () => {}, pageBlocks: PAGE });
    // Block expiresAfter may still include it.
    expect(state.pending).toHaveLength(1);
    await syncAccount(state, upTo(expiresAfter), scanner, { save: async () => {}, pageBlocks: PAGE });
    expect(state.notes.find((n) => n.position === note.position)?.lockedBy).toBeUndefined();
    expect(state.spendable().map((n) => n.position)).toContain(note.position);
    expect(state.pending).toHaveLength(0);
  });

  it("learns a send's fate from compact blocks alone, never asking the node about it", async () => {
    const target = whole.notes.find((n) => n.spent !== undefined);
    const at = target?.spent?.height ?? 0;
    const other = whole.notes.find((n) => n.height < at && (n.spent === undefined || n.spent.height > at));
    if (!target?.spent || !other) {
      throw new Error("the chain should spend one of the wallet's notes after another arrived");
    }
    const before = target.spent.height - 1;
    const state = fresh();
    const scanner = await NoteScanner.create(keys);
    const partial = new NodeClient("http://node.test", {
      fetch: fakeNode({ ...chain, blocks: chain.blocks.slice(0, before + 1) }, PAGE),
    });
    await syncAccount(state, partial, scanner, { save: async () => {}, pageBlocks: PAGE });
    // An id the chain never shows: the send is recognized by its nullifier, not by asking or by id.
    const send = { txId: "ef".repeat(32), positions: [target.position, other.position], change: [], expiresAfter: 1e6 };
    state.lock(send);
    const seen: SeenRequest[] = [];
    const throughSpend = { ...chain, blocks: chain.blocks.slice(0, at + 1) };
    const watched = new NodeClient("http://node.test", { fetch: fakeNode(throughSpend, PAGE, seen) });
    await syncAccount(state, watched, scanner, { save: async () => {}, pageBlocks: PAGE });
    expect(seen.filter((r) => !r.path.startsWith("/v1/sync") && r.path !== "/v1/status")).toEqual([]);
    expect(state.pending).toHaveLength(0);
    expect(state.notes.find((n) => n.position === target.position)?.spent).toEqual(target.spent);
    // The note the chain did not spend with it is free again.
    expect(state.spendable().map((n) => n.position)).toContain(other.position);
    expect(state.history.some((h) => h.txId === target.spent?.txId && h.spent.length === 1)).toBe(true);
  });

  it("asks every page at the same aligned range, whatever height the wallet stopped at", async () => {
    const state = fresh();
    const scanner = await NoteScanner.create(keys);
    const partial = new NodeClient("http://node.test", {
      fetch: fakeNode({ ...chain, blocks: chain.blocks.slice(0, 24) }, PAGE),
    });
    await syncAccount(state, partial, scanner, { save: async () => {}, pageBlocks: PAGE });
    expect(state.syncedHeight).toBe(23);
    const seen: SeenRequest[] = [];
    await syncAccount(state, new NodeClient("http://node.test", { fetch: fakeNode(chain, PAGE, seen) }), scanner, {
      save: async () => {},
      pageBlocks: PAGE,
    });
    expect(seen.filter((r) => r.path.startsWith("/v1/sync")).map((r) => r.path)).toEqual(
      [20, 30, 40, 50].map((from) => `/v1/sync?from=${from}&to=${from + PAGE - 1}`),
    );
    expect(state.toJson()).toEqual(whole.toJson());
  });

  it("follows a page the node cut by bytes from where the node says it continues", async () => {
    const seen: SeenRequest[] = [];
    const cutting = new NodeClient("http://node.test", { fetch: fakeNode(chain, PAGE / 2, seen) });
    const state = fresh();
    await syncAccount(state, cutting, await NoteScanner.create(keys), { save: async () => {}, pageBlocks: PAGE });
    expect(state.toJson()).toEqual(whole.toJson());
    expect(seen.filter((r) => r.path.startsWith("/v1/sync")).map((r) => r.path)).toEqual(
      [0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55].map(
        (from) => `/v1/sync?from=${from}&to=${Math.floor(from / PAGE) * PAGE + PAGE - 1}`,
      ),
    );
  });

  it("refuses a node whose pages stop short without saying where they continue", async () => {
    const inner = fakeNode(chain, PAGE / 2);
    const silent = (async (input: string | URL | Request, init?: RequestInit) => {
      const res = await inner(input, init);
      if (!String(input).includes("/v1/sync")) {
        return res;
      }
      const page = decodeCompactPage(new Uint8Array(await res.arrayBuffer()));
      return new Response(encodeCompactPage({ ...page, next: null }) as Uint8Array<ArrayBuffer>, {
        headers: { "Content-Type": "application/octet-stream" },
      });
    }) as typeof fetch;
    const short = new NodeClient("http://node.test", { fetch: silent });
    await expect(
      syncAccount(fresh(), short, await NoteScanner.create(keys), { save: async () => {}, pageBlocks: PAGE }),
    ).rejects.toMatchObject({ code: "bad_node_response" });
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
