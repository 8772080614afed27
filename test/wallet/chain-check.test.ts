/**
 * The wallet's refusal to use a state on a chain it was not read from
 * (src/wallet/chain-check.ts): a reset chain, another genesis, a chain
 * replaced under the same block 0, and files written before the check.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { NoteScanner } from "../../src/protocol/encryption/scan.ts";
import { deriveSpendingKeys } from "../../src/protocol/keys.ts";
import { AccountState } from "../../src/wallet/account-state.ts";
import { checkChain, rescanStart } from "../../src/wallet/chain-check.ts";
import { NodeClient } from "../../src/wallet/node-client.ts";
import { NoteTree } from "../../src/wallet/note-tree.ts";
import { syncAccount } from "../../src/wallet/sync.ts";
import { blockSummary, fakeNode, type SyntheticChain, syntheticChain } from "../fixtures/wallet/synthetic-chain.ts";

const keys = deriveSpendingKeys(new Uint8Array(32).fill(0x3c));
const shape = { blocks: 40, txsPerBlock: 2, outputsPerTx: 2, walletEvery: 5, spendAfter: 0 };
const chain = syntheticChain({ ...shape, seed: "chain check: the chain synced" }, keys);
const other = syntheticChain({ ...shape, seed: "chain check: another genesis" }, keys);
/** The local testnet after a reset: the same (deterministic) block 0, then other blocks. */
const replaced: SyntheticChain = {
  ...other,
  blocks: [chain.blocks[0], ...other.blocks.slice(1)] as SyntheticChain["blocks"],
};
const truncated = (c: SyntheticChain, tip: number): SyntheticChain => ({ ...c, blocks: c.blocks.slice(0, tip + 1) });

const client = (c: SyntheticChain) => new NodeClient("http://node.test", { fetch: fakeNode(c, 10) });
const fresh = () => AccountState.startingAt(keys, 0, NoteTree.empty(), undefined);
const copy = (s: AccountState) => AccountState.fromJson(keys, JSON.parse(JSON.stringify(s.toJson())));

/** The state synced to block `height` of `c`, its identity recorded as a command would. */
async function syncedTo(c: SyntheticChain, height: number): Promise<AccountState> {
  const state = fresh();
  const node = client(truncated(c, height));
  await checkChain(state, node, await node.status());
  await syncAccount(state, node, await NoteScanner.create(keys), { save: async () => {}, pageBlocks: 10 });
  expect(state.syncedHeight).toBe(height);
  return state;
}

const check = async (state: AccountState, c: SyntheticChain) => {
  const node = client(c);
  return checkChain(state, node, await node.status());
};

let synced: AccountState;
beforeAll(async () => {
  synced = await syncedTo(chain, 25);
});

describe("the chain a wallet synced", () => {
  it("is recorded as block 0's state root, and the same chain further on passes", async () => {
    expect(synced.genesis).toBe(blockSummary(chain.blocks[0] as never).stateRoot);
    const state = copy(synced);
    expect(state.genesis).toBe(synced.genesis);
    await expect(check(state, chain)).resolves.toBeUndefined();
    await expect(check(state, truncated(chain, 25))).resolves.toBeUndefined();
  });

  it("refuses a node below the last synced block (a reset chain), whatever its genesis", async () => {
    await expect(check(copy(synced), truncated(chain, 24))).rejects.toMatchObject({ code: "chain_changed" });
    await expect(check(copy(synced), truncated(chain, 0))).rejects.toMatchObject({ code: "chain_changed" });
    await expect(check(copy(synced), { ...chain, blocks: [] })).rejects.toMatchObject({ code: "chain_changed" });
  });

  it("refuses another genesis even at a greater height", async () => {
    await expect(check(copy(synced), other)).rejects.toMatchObject({ code: "chain_changed" });
  });

  it("refuses a chain replaced under the same block 0 (a reset local testnet that grew past the wallet)", async () => {
    await expect(check(copy(synced), replaced)).rejects.toMatchObject({ code: "chain_changed" });
  });

  it("passes exactly when the node's chain holds the synced block (property over the node's height)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: shape.blocks - 1 }), async (tip) => {
        const outcome = await check(copy(synced), truncated(chain, tip)).then(
          () => "ok",
          (e: { code: string }) => e.code,
        );
        expect(outcome).toBe(tip >= synced.syncedHeight ? "ok" : "chain_changed");
      }),
      { numRuns: 15 },
    );
  });

  it("records nothing for a state that has read nothing until the node has a block 0", async () => {
    const state = fresh();
    await check(state, { ...chain, blocks: [] });
    expect(state.genesis).toBeUndefined();
    await check(state, other);
    expect(state.genesis).toBe(blockSummary(other.blocks[0] as never).stateRoot);
  });

  it("takes a node lying about a block's height as a bad answer, not as agreement", async () => {
    const lying = fakeNode(chain, 10);
    const node = new NodeClient("http://node.test", {
      fetch: (async (input: string | URL | Request, init?: RequestInit) =>
        String(input).endsWith("/v1/blocks/25")
          ? lying("http://node.test/v1/blocks/24", init)
          : lying(input, init)) as typeof fetch,
    });
    await expect(checkChain(copy(synced), node, await node.status())).rejects.toMatchObject({
      code: "bad_node_response",
    });
  });
});

describe("a wallet file written before chain identities", () => {
  const legacy = () => {
    const { genesis: _, start: __, ...json } = synced.toJson();
    return AccountState.fromJson(keys, JSON.parse(JSON.stringify(json)));
  };

  it("gets the node's identity at its next check when the node agrees with its last anchor", async () => {
    const state = legacy();
    expect(state.genesis).toBeUndefined();
    await check(state, chain);
    expect(state.genesis).toBe(synced.genesis);
    expect(copy(state).genesis).toBe(synced.genesis);
  });

  it("is chain_changed, and records nothing, when the node disagrees", async () => {
    const state = legacy();
    await expect(check(state, replaced)).rejects.toMatchObject({ code: "chain_changed" });
    await expect(check(state, truncated(chain, 3))).rejects.toMatchObject({ code: "chain_changed" });
    expect(state.genesis).toBeUndefined();
  });

  it("refuses a damaged identity as a damaged file", () => {
    const json = { ...synced.toJson(), genesis: "zz" };
    expect(() => AccountState.fromJson(keys, json)).toThrow(expect.objectContaining({ code: "bad_wallet_file" }));
    expect(() => AccountState.fromJson(keys, { ...synced.toJson(), start: -1 })).toThrow(
      expect.objectContaining({ code: "bad_wallet_file" }),
    );
  });
});

describe("where a rescan starts", () => {
  it("where the state started on its own chain, at block 0 once the chain changed", async () => {
    const node = client(chain);
    const born = AccountState.startingAt(keys, 7, NoteTree.empty(), undefined);
    expect(await rescanStart(born, node, await node.status(), 1000)).toBe(7);
    const legacy = AccountState.fromJson(keys, { ...fresh().toJson(), start: undefined });
    expect(await rescanStart(legacy, node, await node.status(), 1000)).toBe(1000);
    const reset = client(truncated(chain, 3));
    expect(await rescanStart(copy(synced), reset, await reset.status(), 1000)).toBe(0);
  });

  it("passes on a failure that is not a changed chain", async () => {
    const down = new NodeClient("http://node.test", {
      fetch: (async () => {
        throw new TypeError("fetch failed");
      }) as unknown as typeof fetch,
    });
    const status = await client(chain).status();
    await expect(rescanStart(copy(synced), down, status, 0)).rejects.toMatchObject({ code: "node_unreachable" });
  });
});
