/** Where a new account's first sync starts, and what that tells the node. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NoteScanner } from "../../src/protocol/encryption/scan.ts";
import { deriveSpendingKeys } from "../../src/protocol/keys.ts";
import { AccountState } from "../../src/wallet/account-state.ts";
import { NodeClient } from "../../src/wallet/node-client.ts";
import { NoteTree } from "../../src/wallet/note-tree.ts";
import { BIRTHDAY_BUCKET, bucketStart, startAccountState } from "../../src/wallet/start.ts";
import { syncAccount } from "../../src/wallet/sync.ts";
import { fakeNode, type SeenRequest, syntheticChain } from "../fixtures/wallet/synthetic-chain.ts";

const keys = deriveSpendingKeys(new Uint8Array(32).fill(0x3c));
const chain = syntheticChain(
  { blocks: 60, txsPerBlock: 3, outputsPerTx: 2, walletEvery: 5, spendAfter: 0, seed: "wallet start test" },
  keys,
);
const PAGE = 10;

function node(seen: SeenRequest[] = []) {
  return new NodeClient("http://node.test", { fetch: fakeNode(chain, PAGE, seen) });
}

describe("an account's first sync", () => {
  it("rounds the birthday down to its bucket", () => {
    expect(BIRTHDAY_BUCKET).toBe(1000);
    expect(bucketStart(0)).toBe(0);
    expect(bucketStart(999)).toBe(0);
    expect(bucketStart(1000)).toBe(1000);
    expect(bucketStart(123_456)).toBe(123_000);
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 100_000 }), (birthday, bucket) => {
        const start = bucketStart(birthday, bucket);
        expect(start % bucket).toBe(0);
        expect(start).toBeLessThanOrEqual(birthday);
        expect(birthday - start).toBeLessThan(bucket);
      }),
    );
  });

  it("asks the node for the tree at the bucket, not at the birthday, and finds the same notes", async () => {
    const seen: SeenRequest[] = [];
    const state = await startAccountState(node(seen), keys, 47, { bucket: 20 });
    expect(seen.map((r) => r.path).filter((p) => p.startsWith("/v1/tree"))).toEqual(["/v1/tree/39"]);
    expect(state.syncedHeight).toBe(39);
    const scanner = await NoteScanner.create(keys);
    await syncAccount(state, node(), scanner, { save: async () => {}, pageBlocks: PAGE });
    const whole = AccountState.startingAt(keys, 0, NoteTree.empty(), undefined);
    await syncAccount(whole, node(), scanner, { save: async () => {}, pageBlocks: PAGE });
    expect(state.notes.map((n) => n.position)).toEqual(
      whole.notes.filter((n) => n.height >= 40).map((n) => n.position),
    );
    expect(state.anchor).toBe(whole.anchor);
  });

  it("asks for no tree at all in the first bucket", async () => {
    const seen: SeenRequest[] = [];
    const state = await startAccountState(node(seen), keys, 47);
    expect(seen).toEqual([]);
    expect(state.syncedHeight).toBe(-1);
  });

  it("reads from block 0 when the node keeps no frontier there, and says so", async () => {
    const short = { ...chain, blocks: chain.blocks.slice(0, 30) };
    const fallbacks: number[] = [];
    const client = new NodeClient("http://node.test", { fetch: fakeNode(short, PAGE) });
    const state = await startAccountState(client, keys, 47, { bucket: 20, onFallback: (h) => fallbacks.push(h) });
    expect(fallbacks).toEqual([39]);
    expect(state.syncedHeight).toBe(-1);
  });
});
