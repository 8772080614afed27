/** The ledger runs inside workerd and its committed blocks land in D1 exactly once. */

import { env, exports } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { bytesToBigintBE, toHex } from "../../src/codec/bytes.ts";
import { DEFAULT_CONTRACT_PARAMS } from "../../src/contracts/params.ts";
import { blockRows, projectBlock, projectRows } from "../../src/db/projection.ts";
import { executeBlock } from "../../src/ledger/execute.ts";
import { emptyLedgerMeta } from "../../src/ledger/genesis.ts";
import { MemoryLedgerStore } from "../../src/ledger/store.ts";
import { SERO_ASSET_ID } from "../../src/protocol/asset.ts";
import { type Fr, frToBytes } from "../../src/protocol/field.ts";
import { encodeTransaction } from "../../src/protocol/tx/codec.ts";
import type { GenesisTx } from "../../src/protocol/tx/types.ts";
import { sampleGenesis } from "../protocol/fixtures.ts";

const DB = (env as unknown as { DB: D1Database }).DB;
const rejectAll = { verify: async (items: readonly unknown[]) => items.map(() => false) };

async function committedGenesis(tx: GenesisTx = sampleGenesis()) {
  const store = new MemoryLedgerStore(emptyLedgerMeta());
  const block = { height: 0, transactions: [encodeTransaction(tx), Uint8Array.of(1, 99)] };
  const result = await executeBlock(store, block, {
    chainId: "sero-test-1",
    anchorWindow: 8,
    minFee: 0n,
    contracts: DEFAULT_CONTRACT_PARAMS,
    verifier: rejectAll,
  });
  return { ...block, result };
}

describe("D1 projection", () => {
  // D1 is shared by the tests of a file: each starts from an empty index.
  beforeEach(async () => {
    const tables = ["blocks", "transactions", "nullifiers", "commitments", "shards", "anchors", "assets"];
    await DB.batch(tables.map((t) => DB.prepare(`DELETE FROM ${t}`)));
  });

  it("writes a block's public data once, keyed by height", async () => {
    const block = await committedGenesis();
    expect(await projectBlock(DB, block)).toBe("projected");
    expect(await projectBlock(DB, block)).toBe("already_projected");
    const blocks = await DB.prepare("SELECT height, tx_count, state_root FROM blocks").all();
    expect(blocks.results).toEqual([
      { height: 0, tx_count: 2, state_root: toHex(block.result.changes.meta.stateRoot) },
    ]);
    const txs = await DB.prepare("SELECT position, status, code, kind FROM transactions ORDER BY position").all();
    expect(txs.results).toEqual([
      { position: 0, status: "committed", code: null, kind: "genesis" },
      { position: 1, status: "rejected", code: "unknown_kind", kind: null },
    ]);
    const commitments = await DB.prepare("SELECT position FROM commitments ORDER BY position").all();
    expect(commitments.results.map((r) => r.position)).toEqual([0, 1]);
    const asset = await DB.prepare("SELECT name, issued FROM assets WHERE id = ?")
      .bind(toHex(frToBytes(SERO_ASSET_ID)))
      .first();
    const issued = sampleGenesis().outputs.reduce((sum, o) => sum + bytesToBigintBE(o.value), 0n);
    expect(asset).toEqual({ name: "SERO", issued: issued.toString() });
  });

  it("writes the shards a block completed and the tree's frontier after it", async () => {
    const base = sampleGenesis();
    const value = new Uint8Array(32).fill(1, 31);
    const outputs = Array.from({ length: 300 }, (_, i) => ({
      ...base.outputs[0],
      value,
      seal: BigInt(1000 + i) as Fr,
    }));
    const block = await committedGenesis({ ...base, outputs } as GenesisTx);
    expect(block.result.effects.shards.map((s) => s.index)).toEqual([0]);
    expect(await projectBlock(DB, block)).toBe("projected");
    const shards = await DB.prepare('SELECT * FROM shards ORDER BY "index"').all();
    expect(shards.results).toEqual([
      { index: 0, root: toHex(frToBytes(block.result.effects.shards[0]?.root as Fr)), height: 0 },
    ]);
    const row = await DB.prepare("SELECT frontier FROM blocks WHERE height = 0").first();
    expect(row).toEqual({ frontier: toHex(block.result.changes.meta.frontier) });
  });

  it("projects outbox rows stored before shards and frontiers existed", async () => {
    const { shards: _, ...rows } = blockRows(await committedGenesis());
    const { frontier: __, ...block } = rows.block;
    expect(await projectRows(DB, { ...rows, block })).toBe("projected");
    expect(await DB.prepare("SELECT frontier FROM blocks WHERE height = 0").first()).toEqual({ frontier: null });
    const res = await exports.default.fetch("http://sero.test/v1/tree/0");
    expect([res.status, ((await res.json()) as { error: { code: string } }).error.code]).toEqual([404, "not_found"]);
  });

  it("projects outbox rows stored before contracts existed", async () => {
    const { contracts: _, contractEvents: __, payouts: ___, ...rows } = blockRows(await committedGenesis());
    const transactions = rows.transactions.map(
      ({ outcome: _o, gasUsed: _g, returnData: _r, createdContract: _c, ...t }) => t,
    );
    expect(await projectRows(DB, { ...rows, transactions })).toBe("projected");
    const row = await DB.prepare("SELECT outcome, gas_used, return_data, created_contract FROM transactions").first();
    expect(row).toEqual({ outcome: null, gas_used: null, return_data: null, created_contract: null });
  });

  it("refuses a gap in heights", async () => {
    const block = await committedGenesis();
    await expect(projectBlock(DB, { ...block, height: 5 })).rejects.toThrow(/replay the gap/);
  });
});
