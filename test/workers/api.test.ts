/**
 * The read API over D1, driven exactly as a client would: committed blocks are
 * produced by the ledger, projected into D1, then read back over HTTP.
 */

import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { fromHex, toHex } from "../../src/codec/bytes.ts";
import { DEFAULT_CONTRACT_PARAMS } from "../../src/contracts/params.ts";
import { projectBlock } from "../../src/db/projection.ts";
import { executeBlock } from "../../src/ledger/execute.ts";
import { emptyLedgerMeta } from "../../src/ledger/genesis.ts";
import { MemoryLedgerStore } from "../../src/ledger/store.ts";
import { SERO_ASSET_ID } from "../../src/protocol/asset.ts";
import { NoteScanner } from "../../src/protocol/encryption/scan.ts";
import { type Fr, frToBytes } from "../../src/protocol/field.ts";
import { IncrementalTree } from "../../src/protocol/merkle/tree.ts";
import { encodeTransaction } from "../../src/protocol/tx/codec.ts";
import { txId } from "../../src/protocol/tx/hashes.ts";
import { account, sampleGenesis, sampleTransfer } from "../protocol/fixtures.ts";

const DB = (env as unknown as { DB: D1Database }).DB;
const fe = (x: bigint) => toHex(frToBytes(x as Fr));
const get = (path: string) => exports.default.fetch(`http://sero.test${path}`);
const acceptOnes = {
  verify: async (items: readonly { proof: Uint8Array }[]) => items.map((i) => i.proof.every((b) => b === 1)),
};

let transfer = { ...sampleTransfer("api"), nullifiers: [21n as Fr, 22n as Fr], proof: new Uint8Array(256).fill(1) };
let badProof = { ...sampleTransfer("api-bad"), nullifiers: [23n as Fr, 24n as Fr] };

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
    store.commit(result.changes);
    await projectBlock(DB, { ...block, result });
  };
  await run([encodeTransaction(sampleGenesis())]);
  const anchor = IncrementalTree.decode(store.meta().frontier).root();
  transfer = { ...transfer, anchor };
  badProof = { ...badProof, anchor };
  await run([encodeTransaction(transfer), encodeTransaction(badProof)]);
});

async function errorCode(res: Response): Promise<[number, string]> {
  const body = (await res.json()) as { error: { code: string } };
  return [res.status, body.error.code];
}

describe("read API", () => {
  it("status reports the tip", async () => {
    const status = (await (await get("/v1/status")).json()) as Record<string, unknown>;
    expect(status).toMatchObject({ chainId: "sero-local-1", height: 1, protocolVersion: 3 });
    expect(status.anchor).toMatch(/^[0-9a-f]{64}$/);
  });

  it("lists blocks and shows one with its transactions", async () => {
    const list = (await (await get("/v1/blocks?from=0&limit=10")).json()) as { blocks: { height: number }[] };
    expect(list.blocks.map((b) => b.height)).toEqual([0, 1]);
    const one = (await (await get("/v1/blocks/1")).json()) as {
      transactions: { status: string; code: string | null }[];
    };
    expect(one.transactions.map((t) => [t.status, t.code])).toEqual([
      ["committed", null],
      ["rejected", "invalid_proof"],
    ]);
    expect(await errorCode(await get("/v1/blocks/7"))).toEqual([404, "not_found"]);
    expect(await errorCode(await get("/v1/blocks/abc"))).toEqual([400, "bad_request"]);
    expect(await errorCode(await get("/v1/blocks?limit=1000"))).toEqual([400, "bad_request"]);
  });

  it("tells where a transaction ended", async () => {
    const ok = (await (await get(`/v1/tx/${toHex(txId(transfer))}`)).json()) as Record<string, unknown>;
    expect(ok).toMatchObject({ status: "committed", height: 1, position: 0 });
    const bad = (await (await get(`/v1/tx/${toHex(txId(badProof))}`)).json()) as Record<string, unknown>;
    expect(bad).toMatchObject({ status: "rejected", code: "invalid_proof" });
    expect(await errorCode(await get(`/v1/tx/${"0".repeat(64)}`))).toEqual([404, "not_found"]);
    expect(await errorCode(await get("/v1/tx/XYZ"))).toEqual([400, "bad_request"]);
  });

  it("answers nullifier queries", async () => {
    expect(await (await get(`/v1/nullifiers/${fe(21n)}`)).json()).toEqual({
      nullifier: fe(21n),
      spent: true,
      height: 1,
    });
    expect(await (await get(`/v1/nullifiers/${fe(23n)}`)).json()).toEqual({
      nullifier: fe(23n),
      spent: false,
      height: null,
    });
  });

  it("shows assets with their public supply: issued minus fees", async () => {
    const sero = (await (await get(`/v1/assets/${fe(SERO_ASSET_ID)}`)).json()) as Record<string, string>;
    expect(BigInt(sero.supply as string)).toBe(BigInt(sero.issued as string) - transfer.fee);
    const all = (await (await get("/v1/assets")).json()) as { assets: { name: string }[] };
    expect(all.assets.map((a) => a.name)).toEqual(["SERO"]);
  });

  it("serves compact blocks a wallet can find its notes in, and nothing in the clear", async () => {
    const res = await get("/v1/sync?from=0&to=50");
    const page = (await res.json()) as {
      blocks: {
        shards: unknown[];
        txs: {
          epk: string;
          outputs: {
            commitment: string;
            viewTag: number;
            encCiphertext: string;
            outCiphertext: string;
            position: number;
          }[];
        }[];
      }[];
      next: number | null;
    };
    expect(page.next).toBeNull();
    expect(page.blocks.map((b) => b.shards)).toEqual([[], []]); // 4 leaves: no shard complete yet
    expect(res.headers.get("Cache-Control")).toBe("public, max-age=2");
    const tx = page.blocks[1]?.txs[0];
    expect(tx?.outputs.map((o) => o.position)).toEqual([2, 3]);
    const outputs = (tx?.outputs ?? []).map((o) => ({
      commitment: BigInt(`0x${o.commitment}`) as Fr,
      viewTag: o.viewTag,
      encCiphertext: fromHex(o.encCiphertext) as Uint8Array,
      outCiphertext: fromHex(o.outCiphertext) as Uint8Array,
    }));
    const found = await (await NoteScanner.create(account("bob"))).incoming(
      fromHex(tx?.epk ?? "") as Uint8Array,
      outputs,
    );
    expect(found.map((f) => f.index)).toEqual([0]);
    expect(JSON.stringify(page)).not.toContain(toHex(new TextEncoder().encode("for the coffee")));
    const older = await get("/v1/sync?from=0&to=0");
    expect(older.headers.get("Cache-Control")).toContain("immutable");
    expect(await errorCode(await get("/v1/sync?from=5&to=1"))).toEqual([400, "bad_request"]);
  });

  it("publishes its OpenAPI document", async () => {
    const doc = (await (await get("/openapi.json")).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/v1/status",
        "/v1/beacon/{epoch}",
        "/v1/blocks",
        "/v1/blocks/{height}",
        "/v1/tx/{hash}",
        "/v1/sync",
        "/v1/tree/{height}",
        "/v1/assets",
        "/v1/contracts/{address}",
        "/v1/contracts/{address}/call",
        "/v1/contracts/{address}/events",
      ]),
    );
  });
});
