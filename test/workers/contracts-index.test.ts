/**
 * Contract blocks in the index and the routes that read only it: a TokenSale
 * deployed and bought from (a payout and an event), a buy that reverts (its
 * SERO paid back), all run by the real EVM inside workerd, projected into D1
 * and read back through /v1/sync (JSON and binary), /v1/tx/{id} and
 * /v1/contracts/{address}/events.
 */
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { toHex } from "../../src/codec/bytes.ts";
import { type CommittedBlock, projectBlock } from "../../src/db/projection.ts";
import type { Receipt } from "../../src/ledger/execute.ts";
import { decodeCompactPage } from "../../src/protocol/compact.ts";
import { encodeText } from "../../src/protocol/text.ts";
import { encodeTransaction } from "../../src/protocol/tx/codec.ts";
import { txIdOfBytes } from "../../src/protocol/tx/hashes.ts";
import { calldata, SERO, SERO_ASSET_ID, testCaller, tokenValue } from "../contracts/ledger-chain.ts";
import { RecordedChain, TOKEN_SALE } from "./contract-history.ts";

const DB = (env as unknown as { DB: D1Database }).DB;
const http = (path: string, init?: RequestInit) => exports.default.fetch(`http://sero.test${path}`, init);
const json = async <T>(path: string) => (await (await http(path)).json()) as T;

type PayoutJson = { position: number; commitment: string; pkr: string; assetKind: string; value: string };
type TxJson = { id: string; kind: string; outputs: { position: number }[]; payouts: PayoutJson[] };
type SyncPage = { blocks: { height: number; txs: TxJson[] }[]; next: number | null };
type EventsPage = {
  events: { height: number; txId: string; logIndex: number; topics: string[] }[];
  next: number | null;
};

const alice = testCaller("alice");
const bob = testCaller("bob");
const carol = testCaller("carol");
const chain = new RecordedChain();
let sale: Uint8Array;
let saleText: string;
const ids: Record<string, string> = {};

/** The id of the first transaction of block `height`. */
const firstTxOf = (height: number) =>
  toHex(((chain.blocks[height] as CommittedBlock).result.receipts[0] as Receipt).txId);
const idOf = (tx: Parameters<typeof encodeTransaction>[0]) => toHex(txIdOfBytes(encodeTransaction(tx)));

beforeAll(async () => {
  await chain.genesis();
  sale = (await chain.deploy(alice, TOKEN_SALE, ["GOLD", 0, 1000n, 100n])).address;
  saleText = encodeText("contractAddress", sale);
  const buy = calldata(TOKEN_SALE.abi, "buy");
  const call = (caller: typeof bob, data: Uint8Array, sero?: bigint) =>
    chain.contractTx(
      caller,
      { kind: "call", contract: sale, calldata: data },
      sero ? { value: tokenValue(SERO_ASSET_ID, sero) } : {},
    );
  const bobBuys = call(bob, buy, 2n * SERO);
  const carolOverbuys = call(carol, buy, 11n * SERO); // reverts: not enough tokens left
  const bobWithdraws = call(bob, calldata(TOKEN_SALE.abi, "withdraw", [1n])); // reverts: not the owner
  Object.assign(ids, { bobBuys: idOf(bobBuys), carolOverbuys: idOf(carolOverbuys), bobWithdraws: idOf(bobWithdraws) });
  await chain.apply([bobBuys, carolOverbuys, bobWithdraws].map(encodeTransaction));
  for (let i = 0; i < 3; i++) {
    await chain.apply([encodeTransaction(call(alice, buy, SERO))]);
  }
  for (const block of chain.blocks) {
    expect(await projectBlock(DB, block)).toBe("projected");
  }
}, 120_000);

describe("contract blocks in the index", () => {
  it("records contracts, payouts, events and outcomes, and a block projected again changes nothing", async () => {
    const rows = async (table: string) => (await DB.prepare(`SELECT * FROM ${table}`).all()).results;
    const contracts = await rows("contracts");
    expect(contracts).toEqual([
      { address: toHex(sale), evm: expect.any(String), height: 1, tx_id: expect.any(String) },
    ]);
    const effects = chain.blocks.flatMap((b) => b.result.effects.payouts.map((p) => ({ ...p, height: b.height })));
    const payouts = await rows("payouts");
    expect(payouts.map((p) => p.position)).toEqual(effects.map((p) => p.position));
    expect(payouts.map((p) => [p.pkr, p.asset_kind])).toEqual(effects.map((p) => [toHex(p.pkr), p.assetKind]));
    // Every payout is a leaf with the same commitment.
    for (const p of payouts) {
      const leaf = await DB.prepare("SELECT commitment FROM commitments WHERE position = ?").bind(p.position).first();
      expect(leaf?.commitment).toBe(p.commitment);
    }
    expect((await rows("contract_events")).length).toBe(
      chain.blocks.reduce((n, b) => n + b.result.effects.logs.length, 0),
    );
    const before = await Promise.all(["payouts", "contract_events", "contracts", "transactions"].map(rows));
    for (const block of chain.blocks) {
      expect(await projectBlock(DB, block)).toBe("already_projected");
    }
    expect(await Promise.all(["payouts", "contract_events", "contracts", "transactions"].map(rows))).toEqual(before);
  });

  it("GET /v1/tx/{id} carries a contract transaction's outcome", async () => {
    expect(await json(`/v1/tx/${firstTxOf(1)}`)).toMatchObject({
      status: "committed",
      height: 1,
      outcome: { code: "ok", returnData: "", contract: saleText },
    });
    const bought = await json<{ outcome: { code: string; gasUsed: string; returnData: string } }>(
      `/v1/tx/${ids.bobBuys}`,
    );
    expect(bought.outcome.code).toBe("ok");
    expect(BigInt(bought.outcome.returnData === "" ? 0 : `0x${bought.outcome.returnData}`)).toBe(200n);
    expect(BigInt(bought.outcome.gasUsed)).toBeGreaterThan(21_000n);
    expect(await json(`/v1/tx/${ids.carolOverbuys}`)).toMatchObject({ outcome: { code: "revert", contract: null } });
    const genesis = await json<Record<string, unknown>>(`/v1/tx/${firstTxOf(0)}`);
    expect(genesis).not.toHaveProperty("outcome");
  });

  it("/v1/sync lists a contract transaction's outputs, then its payouts, the same in JSON and binary", async () => {
    const page = await json<SyncPage>("/v1/sync?from=0&to=99");
    // Every leaf, in order: each transaction's outputs then its payouts, one block after another.
    const leaves = page.blocks.flatMap((b) =>
      b.txs.flatMap((t) => [...t.outputs, ...t.payouts].map((l) => l.position)),
    );
    const size = ((await DB.prepare("SELECT count(*) AS n FROM commitments").first()) as { n: number }).n;
    expect(leaves).toEqual(Array.from({ length: size }, (_, i) => i));
    const txs = page.blocks.flatMap((b) => b.txs);
    const byId = (id: string) => txs.find((t) => t.id === id) as TxJson;
    expect(byId(ids.bobBuys as string).payouts).toEqual([
      expect.objectContaining({ pkr: toHex(bob.pkr), assetKind: "token", value: 200n.toString(16).padStart(64, "0") }),
    ]);
    // The reverted buy's SERO goes back to carol; the reverted withdraw brought nothing and gets nothing.
    expect(byId(ids.carolOverbuys as string).payouts).toEqual([
      expect.objectContaining({ pkr: toHex(carol.pkr), value: (11n * SERO).toString(16).padStart(64, "0") }),
    ]);
    expect(byId(ids.bobWithdraws as string).payouts).toEqual([]);

    const res = await http("/v1/sync?from=0&to=99", { headers: { Accept: "application/octet-stream" } });
    const binary = decodeCompactPage(new Uint8Array(await res.arrayBuffer()));
    const binaryPayouts = binary.blocks.flatMap((b) =>
      b.txs.flatMap((t) => t.payouts.map((p) => ({ position: p.position, pkr: toHex(p.pkr), value: toHex(p.value) }))),
    );
    expect(binaryPayouts).toEqual(
      txs.flatMap((t) => t.payouts.map((p) => ({ position: p.position, pkr: p.pkr, value: p.value }))),
    );
  });

  it("GET /v1/contracts/{address}/events pages at block boundaries", async () => {
    const all = await json<EventsPage>(`/v1/contracts/${saleText}/events`);
    expect(all.events.map((e) => e.height)).toEqual([2, 3, 4, 5]);
    expect(all.events[0]?.txId).toBe(ids.bobBuys);
    expect(all.events.every((e) => e.topics.length === 2)).toBe(true); // Sold(address indexed buyer, ...)
    expect(all.next).toBe(null);
    const first = await json<EventsPage>(`/v1/contracts/${saleText}/events?from=0&limit=1`);
    expect([first.events.map((e) => e.height), first.next]).toEqual([[2], 3]);
    const later = await json<EventsPage>(`/v1/contracts/${saleText}/events?from=4&limit=2`);
    expect([later.events.map((e) => e.height), later.next]).toEqual([[4, 5], null]);
    const none = await json<EventsPage>(`/v1/contracts/${encodeText("contractAddress", new Uint8Array(64))}/events`);
    expect(none).toEqual({ events: [], next: null });
  });

  it("refuses bad event queries with stable codes", async () => {
    const code = async (path: string) => {
      const res = await http(path);
      return [res.status, ((await res.json()) as { error: { code: string } }).error.code];
    };
    expect(await code(`/v1/contracts/${saleText}/events?limit=0`)).toEqual([400, "bad_request"]);
    expect(await code(`/v1/contracts/${saleText}/events?limit=1001`)).toEqual([400, "bad_request"]);
    expect(await code(`/v1/contracts/${saleText}/events?from=-1`)).toEqual([400, "bad_request"]);
    expect(await code(`/v1/contracts/${encodeText("publicAddress", sale)}/events`)).toEqual([400, "wrong_kind"]);
    expect(await code(`/v1/contracts/${saleText.slice(0, -1)}x/events`)).toEqual([400, "bad_checksum"]);
    expect(await code(`/v1/contracts/${encodeText("contractAddress", new Uint8Array(32))}/events`)).toEqual([
      400,
      "bad_length",
    ]);
  });
});
