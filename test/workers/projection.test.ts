/** The ledger runs inside workerd and its committed blocks land in D1 exactly once. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { bytesToBigintBE, toHex } from "../../src/codec/bytes.ts";
import { projectBlock } from "../../src/db/projection.ts";
import { executeBlock } from "../../src/ledger/execute.ts";
import { emptyLedgerMeta } from "../../src/ledger/genesis.ts";
import { MemoryLedgerStore } from "../../src/ledger/store.ts";
import { SERO_ASSET_ID } from "../../src/protocol/asset.ts";
import { frToBytes } from "../../src/protocol/field.ts";
import { encodeTransaction } from "../../src/protocol/tx/codec.ts";
import { sampleGenesis } from "../protocol/fixtures.ts";

const DB = (env as unknown as { DB: D1Database }).DB;
const rejectAll = { verify: async (items: readonly unknown[]) => items.map(() => false) };

async function committedGenesis() {
  const store = new MemoryLedgerStore(emptyLedgerMeta());
  const block = { height: 0, transactions: [encodeTransaction(sampleGenesis()), Uint8Array.of(1, 99)] };
  const result = await executeBlock(store, block, { chainId: "sero-test-1", anchorWindow: 8, verifier: rejectAll });
  return { ...block, result };
}

describe("D1 projection", () => {
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

  it("refuses a gap in heights", async () => {
    const block = await committedGenesis();
    await expect(projectBlock(DB, { ...block, height: 5 })).rejects.toThrow(/replay the gap/);
  });
});
