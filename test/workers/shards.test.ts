/**
 * Shards and frontiers over HTTP (PROTOCOL.md §7.1), checked as a wallet would:
 * every shard root against the leaves sync served, every frontier against the anchor.
 */

import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { fromHex } from "../../src/codec/bytes.ts";
import { DEFAULT_CONTRACT_PARAMS } from "../../src/contracts/params.ts";
import { projectBlock } from "../../src/db/projection.ts";
import { executeBlock } from "../../src/ledger/execute.ts";
import { emptyLedgerMeta } from "../../src/ledger/genesis.ts";
import { MemoryLedgerStore } from "../../src/ledger/store.ts";
import { decodeCompactPage } from "../../src/protocol/compact.ts";
import type { Fr } from "../../src/protocol/field.ts";
import { SHARD_HEIGHT } from "../../src/protocol/merkle/hash.ts";
import { IncrementalTree } from "../../src/protocol/merkle/tree.ts";
import { encodeTransaction } from "../../src/protocol/tx/codec.ts";
import { sampleGenesis, sampleTransfer } from "../protocol/fixtures.ts";

const DB = (env as unknown as { DB: D1Database }).DB;
const get = (path: string) => exports.default.fetch(`http://sero.test${path}`);
const acceptOnes = {
  verify: async (items: readonly { proof: Uint8Array }[]) => items.map((i) => i.proof.every((b) => b === 1)),
};

type SyncPage = {
  blocks: {
    height: number;
    anchor: string;
    txs: { outputs: { position: number; commitment: string }[] }[];
    shards: { index: number; root: string }[];
  }[];
};
type TreeState = { height: number; anchor: string; size: number; frontier: string };

// Block 0: a genesis of 510 notes completes shard 0; block 1: a transfer's two
// outputs (positions 510, 511) complete shard 1; block 2 is empty.
beforeAll(async () => {
  const store = new MemoryLedgerStore(emptyLedgerMeta());
  const config = {
    chainId: "sero-local-1",
    anchorWindow: 8,
    minFee: 0n,
    contracts: DEFAULT_CONTRACT_PARAMS,
    verifier: acceptOnes,
  };
  const run = async (transactions: Uint8Array[]) => {
    const block = { height: store.meta().height + 1, transactions };
    const result = await executeBlock(store, block, config);
    expect(result.receipts.every((r) => r.status === "committed")).toBe(true);
    store.commit(result.changes);
    await projectBlock(DB, { ...block, result });
  };
  const base = sampleGenesis();
  const value = new Uint8Array(32).fill(1, 31);
  const outputs = Array.from({ length: 510 }, (_, i) => ({ ...base.outputs[0], value, seal: BigInt(1000 + i) as Fr }));
  await run([encodeTransaction({ ...base, outputs } as typeof base)]);
  const anchor = IncrementalTree.decode(store.meta().frontier).root();
  await run([encodeTransaction({ ...sampleTransfer("shards"), anchor, proof: new Uint8Array(256).fill(1) })]);
  await run([]);
});

async function errorCode(res: Response): Promise<[number, string]> {
  const body = (await res.json()) as { error: { code: string } };
  return [res.status, body.error.code];
}

describe("shards and frontiers", () => {
  it("sync lists the shards each block completed, with the root of the leaves it served", async () => {
    const page = (await (await get("/v1/sync?from=0&to=10")).json()) as SyncPage;
    expect(page.blocks.map((b) => b.shards.map((s) => s.index))).toEqual([[0], [1], []]);
    const leaves = page.blocks.flatMap((b) => b.txs.flatMap((t) => t.outputs));
    expect(leaves.map((l) => l.position)).toEqual(leaves.map((_, i) => i));
    for (const shard of page.blocks.flatMap((b) => b.shards)) {
      const tree = new IncrementalTree(SHARD_HEIGHT);
      const start = shard.index * 2 ** SHARD_HEIGHT;
      for (const leaf of leaves.slice(start, start + 2 ** SHARD_HEIGHT)) {
        tree.append(BigInt(`0x${leaf.commitment}`) as Fr);
      }
      expect(tree.isFull).toBe(true);
      expect(shard.root).toBe(tree.root().toString(16).padStart(64, "0"));
    }
  });

  it("serves the same page in binary (PROTOCOL.md §9) to a client that accepts it", async () => {
    const json = (await (await get("/v1/sync?from=0&to=1")).json()) as SyncPage & { tip: number; next: number };
    const res = await exports.default.fetch("http://sero.test/v1/sync?from=0&to=1", {
      headers: { Accept: "application/octet-stream" },
    });
    expect(res.headers.get("Content-Type")).toBe("application/octet-stream");
    const binary = decodeCompactPage(new Uint8Array(await res.arrayBuffer()));
    const hex = (x: bigint) => x.toString(16).padStart(64, "0");
    expect({ tip: binary.tip, next: binary.next }).toEqual({ tip: json.tip, next: json.next });
    expect(
      binary.blocks.map((b) => ({
        height: b.height,
        anchor: hex(b.anchor),
        shards: b.shards.map((s) => ({ index: s.index, root: hex(s.root) })),
        commitments: b.txs.flatMap((t) => t.outputs.map((o) => hex(o.commitment))),
      })),
    ).toEqual(
      json.blocks.map((b) => ({
        height: b.height,
        anchor: b.anchor,
        shards: b.shards,
        commitments: b.txs.flatMap((t) => t.outputs.map((o) => o.commitment)),
      })),
    );
  });

  it("serves the frontier after each block: it decodes to the block's anchor and leaf count", async () => {
    const page = (await (await get("/v1/sync?from=0&to=10")).json()) as SyncPage;
    for (const [height, size] of [
      [0, 510],
      [1, 512],
      [2, 512],
    ] as const) {
      const res = await get(`/v1/tree/${height}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("Cache-Control")).toContain("immutable");
      const state = (await res.json()) as TreeState;
      expect(state).toMatchObject({ height, size, anchor: page.blocks[height]?.anchor });
      const tree = IncrementalTree.decode(fromHex(state.frontier) as Uint8Array);
      expect(tree.size).toBe(size);
      expect(tree.root().toString(16).padStart(64, "0")).toBe(state.anchor);
    }
  });

  it("answers 404 beyond the tip and 400 for a malformed height", async () => {
    expect(await errorCode(await get("/v1/tree/3"))).toEqual([404, "not_found"]);
    for (const bad of ["abc", "-1", "1.5", String(2 ** 41)]) {
      expect(await errorCode(await get(`/v1/tree/${bad}`))).toEqual([400, "bad_request"]);
    }
  });

  it("is in the OpenAPI document", async () => {
    const doc = (await (await get("/openapi.json")).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toContain("/v1/tree/{height}");
  });
});
