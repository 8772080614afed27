/**
 * /v1/sync pages are bounded by bytes as well as blocks: large blocks end a
 * page early at a block boundary, `next` says where the rest starts, and the
 * cut depends only on the blocks, so every client gets the same pages.
 */

import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { MAX_SYNC_PAGE_BYTES } from "../../src/api/routes/sync.ts";
import { DEFAULT_CONTRACT_PARAMS } from "../../src/contracts/params.ts";
import { projectBlock } from "../../src/db/projection.ts";
import { executeBlock } from "../../src/ledger/execute.ts";
import { emptyLedgerMeta } from "../../src/ledger/genesis.ts";
import { MemoryLedgerStore } from "../../src/ledger/store.ts";
import type { Fr } from "../../src/protocol/field.ts";
import { encodeTransaction } from "../../src/protocol/tx/codec.ts";
import { MAX_GENESIS_OUTPUTS } from "../../src/protocol/tx/types.ts";
import { sampleGenesis } from "../protocol/fixtures.ts";

const DB = (env as unknown as { DB: D1Database }).DB;
const get = async (path: string) => (await exports.default.fetch(`http://sero.test${path}`)).json();
type Page = { blocks: { height: number }[]; tip: number; next: number | null };

const base = sampleGenesis();
/** A genesis allocation of the largest size: committed at height 0, rejected (but kept, bytes and all) above. */
const big = encodeTransaction({
  ...base,
  outputs: Array.from({ length: MAX_GENESIS_OUTPUTS }, (_, i) => ({ ...base.outputs[0], seal: BigInt(i + 1) as Fr })),
} as typeof base);
const BLOCKS = Math.ceil((1.5 * MAX_SYNC_PAGE_BYTES) / big.length);

beforeAll(async () => {
  const store = new MemoryLedgerStore(emptyLedgerMeta());
  const config = {
    chainId: "sero-local-1",
    anchorWindow: 8,
    minFee: 0n,
    contracts: DEFAULT_CONTRACT_PARAMS,
    verifier: { verify: async () => [] },
  };
  for (let height = 0; height < BLOCKS; height++) {
    const block = { height, transactions: [big] };
    const result = await executeBlock(store, block, config);
    store.commit(result.changes);
    await projectBlock(DB, { ...block, result });
  }
}, 120_000);

describe("sync pages bounded by bytes", () => {
  it("ends a page at the last whole block within the budget and continues from there", async () => {
    const perPage = Math.floor(MAX_SYNC_PAGE_BYTES / big.length);
    const first = (await get(`/v1/sync?from=0&to=99`)) as Page;
    expect(first.blocks.map((b) => b.height)).toEqual(Array.from({ length: perPage }, (_, i) => i));
    expect(first.next).toBe(perPage);
    const rest = (await get(`/v1/sync?from=${perPage}&to=99`)) as Page;
    expect(rest.blocks.map((b) => b.height)).toEqual(Array.from({ length: BLOCKS - perPage }, (_, i) => perPage + i));
    expect(rest.next).toBe(null);
  });

  it("always serves at least one block, however large", async () => {
    const page = (await get(`/v1/sync?from=${BLOCKS - 1}&to=${BLOCKS - 1}`)) as Page;
    expect(page.blocks.map((b) => b.height)).toEqual([BLOCKS - 1]);
  });
});
