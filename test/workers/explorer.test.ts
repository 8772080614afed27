/**
 * The explorer's pages over a projected chain: a shielded transfer whose
 * amount, memo and owner the test knows, a TokenSale deployed and bought from
 * (an asset, a payout, an event), all run by the real ledger and EVM inside
 * workerd and projected into D1, then read as a browser would. No page may
 * show the transfer's secrets; bad input is a 4xx page, never a 500.
 */
import { env, exports } from "cloudflare:workers";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { formatAmount } from "../../src/cli/amount.ts";
import { toHex, utf8 } from "../../src/codec/bytes.ts";
import { type CommittedBlock, projectBlock } from "../../src/db/projection.ts";
import type { Receipt } from "../../src/ledger/execute.ts";
import { encodeOneTimeAddress, encodePublicAddress, publicAddressOf } from "../../src/protocol/address.ts";
import { SERO_DECIMALS } from "../../src/protocol/asset.ts";
import { encryptOutputs } from "../../src/protocol/encryption/encrypt.ts";
import { NoteScanner } from "../../src/protocol/encryption/scan.ts";
import { type Fr, frToBytes } from "../../src/protocol/field.ts";
import { encodeText } from "../../src/protocol/text.ts";
import { decodeTransaction, encodeTransaction } from "../../src/protocol/tx/codec.ts";
import { txIdOfBytes } from "../../src/protocol/tx/hashes.ts";
import type { TransferTx } from "../../src/protocol/tx/types.ts";
import { calldata, MIN_FEE, SERO, SERO_ASSET_ID, testCaller, tokenValue } from "../contracts/ledger-chain.ts";
import { account, bytes32, changeKey, oneTimeAddress, tokenNote } from "../protocol/fixtures.ts";
import { RecordedChain, TOKEN_SALE } from "./contract-history.ts";

const DB = (env as unknown as { DB: D1Database }).DB;
const page = (path: string) => exports.default.fetch(`http://sero.test${path}`, { headers: { Accept: "text/html" } });
const html = async (path: string) => {
  const res = await page(path);
  expect(res.status, path).toBe(200);
  expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
  return res.text();
};
const fe = (x: bigint) => toHex(frToBytes(x as Fr));

/** The transfer's secrets: distinctive, so finding one on a page cannot be a coincidence. */
const SECRET_AMOUNT = 987_654_321_123_457n;
const SECRET_CHANGE = 123_456_789_012_347n;
const SECRET_MEMO = "explorer must never show this memo 7f3a";
const dora = account("dora");
const doraAddress = oneTimeAddress(dora, "explorer");
const NULLIFIERS = [10n ** 12n + 1n, 10n ** 12n + 2n];

const alice = testCaller("alice");
const bob = testCaller("bob");
const chain = new RecordedChain();
const ids: Record<string, string> = {};
let saleText = "";
let goldId = "";
let tip = 0;

function secretTransfer(): TransferTx {
  const sender = account("erin");
  const change = oneTimeAddress(sender, "explorer:change");
  const notes = [tokenNote(doraAddress, SECRET_AMOUNT, "ex:0"), tokenNote(change, SECRET_CHANGE, "ex:1")];
  const { epk, outputs } = encryptOutputs({
    base: doraAddress.base,
    esk: bytes32("esk:explorer"),
    ovk: sender.ovk,
    outputs: [
      { note: notes[0] as (typeof notes)[0], memo: utf8(SECRET_MEMO), recipientKey: doraAddress.x },
      {
        note: notes[1] as (typeof notes)[0],
        memo: utf8(SECRET_MEMO),
        recipientKey: changeKey(sender, doraAddress.base),
      },
    ],
  });
  return {
    kind: "transfer",
    anchor: chain.anchor(),
    nullifiers: NULLIFIERS as Fr[],
    fee: MIN_FEE,
    epk,
    outputs,
    proof: new Uint8Array(256).fill(1),
  };
}

/** Every way a page could spell the transfer's amounts, memo or owner. */
function secrets(): string[] {
  const pkr = encodeOneTimeAddress(doraAddress);
  const amounts = [SECRET_AMOUNT, SECRET_CHANGE].flatMap((a) => [
    a.toString(),
    formatAmount(a, SERO_DECIMALS),
    a.toString(16),
  ]);
  return [
    ...amounts,
    SECRET_MEMO,
    "never show this memo",
    toHex(pkr),
    encodeText("oneTimeAddress", pkr),
    encodeText("publicAddress", encodePublicAddress(publicAddressOf(dora))),
  ];
}

beforeAll(async () => {
  await chain.genesis();
  const sale = (await chain.deploy(alice, TOKEN_SALE, ["GOLD", 0, 1000n, 100n])).address;
  saleText = encodeText("contractAddress", sale);
  const transfer = encodeTransaction(secretTransfer());
  const buy = encodeTransaction(
    chain.contractTx(
      bob,
      { kind: "call", contract: sale, calldata: calldata(TOKEN_SALE.abi, "buy") },
      {
        value: tokenValue(SERO_ASSET_ID, 2n * SERO),
      },
    ),
  );
  // Reverts: only the sale's owner may withdraw.
  const withdraw = encodeTransaction(
    chain.contractTx(bob, { kind: "call", contract: sale, calldata: calldata(TOKEN_SALE.abi, "withdraw", [1n]) }),
  );
  const result = await chain.apply([transfer, buy, transfer, withdraw]);
  ids.transfer = toHex(txIdOfBytes(transfer));
  ids.buy = toHex(txIdOfBytes(buy));
  ids.withdraw = toHex(txIdOfBytes(withdraw));
  ids.deploy = toHex(((chain.blocks[1] as CommittedBlock).result.receipts[0] as Receipt).txId);
  expect(result.receipts.map((r) => r.status)).toEqual(["committed", "committed", "rejected", "committed"]);
  for (const block of chain.blocks) {
    expect(await projectBlock(DB, block)).toBe("projected");
  }
  tip = chain.store.meta().height;
  const row = await DB.prepare("SELECT id FROM assets WHERE name = 'GOLD'").first<{ id: string }>();
  goldId = row?.id ?? "";
}, 120_000);

describe("explorer pages", () => {
  it("home shows the chain, its validators and the newest blocks and transactions, with the live script", async () => {
    const body = await html("/");
    expect(body.startsWith('<!DOCTYPE html><html lang="en">')).toBe(true);
    expect(body).toContain("sero-local-1");
    expect(body).toContain(`href="/block/${tip}"`);
    expect(body).toContain(`href="/tx/${ids.buy}"`);
    expect(body).toContain('id="live"');
    expect(body).toContain("<script>(() => {");
    expect(body).toContain('fetch("/live"');
    expect(body).toContain("never visible");
    // SE-Random: each replica's epoch and the beacon that drew its primary (epoch 0: the genesis beacon).
    expect(body).toContain("Epoch (beacon)");
    expect(body).toMatch(/<span class="mono">0 \(<span title="[0-9a-f]{64}">/);
    const live = await html("/live");
    expect(live.startsWith('<section id="live"')).toBe(true);
    expect(live).toContain(`data-height="${tip}"`);
  });

  it("a block lists its transactions with their status and rejection code", async () => {
    const body = await html(`/block/${tip}`);
    expect(body).toContain(`href="/tx/${ids.transfer}"`);
    expect(body).toContain("rejected: nullifier_spent");
    expect(body).toContain(`href="/block/${tip - 1}"`);
    expect(body).not.toContain(`href="/block/${tip + 1}"`);
  });

  it("a transfer shows kind, status, fee, proof size, nullifiers and commitments", async () => {
    const body = await html(`/tx/${ids.transfer}`);
    expect(body).toContain("transfer");
    expect(body).toContain("committed");
    expect(body).toContain("256 B");
    for (const nf of NULLIFIERS) {
      expect(body).toContain(`href="/nullifier/${fe(nf)}"`);
    }
    const commitments = await DB.prepare("SELECT commitment FROM commitments WHERE tx_id = ?")
      .bind(ids.transfer)
      .all<{ commitment: string }>();
    expect(commitments.results).toHaveLength(2);
    for (const c of commitments.results) {
      expect(body).toContain(c.commitment);
    }
    expect(body).toContain("never visible");
  });

  it("a contract call shows the contract, caller's EVM address, gas, outcome and the payout's public value", async () => {
    const body = await html(`/tx/${ids.buy}`);
    expect(body).toContain(`href="/contract/${saleText}"`);
    expect(body).toContain(bob.evm.toLowerCase());
    expect(body).toMatch(/Outcome<\/dt><dd><code>ok<\/code>/);
    expect(body).toContain("Contract payouts");
    expect(body).toContain(`href="/asset/${goldId}"`);
    expect(await html(`/tx/${ids.withdraw}`)).toMatch(/Outcome<\/dt><dd><code>revert<\/code>/);
    const deploy = await html(`/tx/${ids.deploy}`);
    expect(deploy).toContain("Created contract");
    expect(deploy).toMatch(/Outcome<\/dt><dd><code>ok<\/code>/);
  });

  it("an asset shows its registration and an inline chart of its issued supply", async () => {
    expect(goldId).toMatch(/^[0-9a-f]{64}$/);
    const body = await html(`/asset/${goldId}`);
    expect(body).toContain("GOLD");
    // The sale's constructor minted its whole cap (PROTOCOL.md §10): no issuance transaction to date it by.
    expect(body).toMatch(/<svg[^>]*aria-label="Issued supply: 1000 GOLD by block \d+/);
    const sero = await html(`/asset/${fe(SERO_ASSET_ID)}`);
    expect(sero).toMatch(/<svg[^>]*aria-label="Issued supply: [^"]+ SERO by block 0/);
  });

  it("a nullifier says where it was spent, or that it is unspent", async () => {
    const spent = await html(`/nullifier/${fe(NULLIFIERS[0] as bigint)}`);
    expect(spent).toContain(`href="/block/${tip}"`);
    expect(spent).toContain(`href="/tx/${ids.transfer}"`);
    const unspent = await html(`/nullifier/${fe(42n)}`);
    expect(unspent).toContain("not spent");
  });

  it("a contract shows its address, EVM address, creation and events", async () => {
    const body = await html(`/contract/${saleText}`);
    expect(body).toContain(saleText);
    expect(body).toContain(`href="/tx/${ids.deploy}"`);
    expect(body).toContain(`href="/tx/${ids.buy}"`); // the buy's event
  });

  it("no page shows the transfer's amount, memo or owner", async () => {
    // The secrets are really in the indexed transfer: its recipient finds them there.
    const row = await DB.prepare("SELECT body FROM transactions WHERE id = ? AND status = 'committed'")
      .bind(ids.transfer)
      .first<{ body: ArrayBuffer }>();
    const indexed = decodeTransaction(new Uint8Array(row?.body as ArrayBuffer)) as TransferTx;
    const [found] = await (await NoteScanner.create(dora)).incoming(indexed.epk, indexed.outputs);
    expect(found?.note.value).toMatchObject({ amount: SECRET_AMOUNT });
    expect(new TextDecoder().decode(found?.memo)).toBe(SECRET_MEMO);
    const paths = [
      "/",
      "/live",
      `/block/${tip}`,
      `/tx/${ids.transfer}`,
      `/tx/${ids.buy}`,
      `/nullifier/${fe(NULLIFIERS[0] as bigint)}`,
      `/asset/${fe(SERO_ASSET_ID)}`,
      `/asset/${goldId}`,
      `/contract/${saleText}`,
    ];
    for (const path of paths) {
      const body = await html(path);
      for (const secret of secrets()) {
        expect(body.includes(secret), `${path} shows ${secret}`).toBe(false);
      }
    }
  });
});

describe("explorer search", () => {
  const search = (q: string) =>
    exports.default.fetch(`http://sero.test/search?q=${encodeURIComponent(q)}`, { redirect: "manual" });
  const target = async (q: string) => {
    const res = await search(q);
    expect(res.status, q).toBe(302);
    return new URL(res.headers.get("Location") as string, "http://sero.test").pathname;
  };

  it("finds heights, transactions, nullifiers, assets by symbol or id, and contracts by either address", async () => {
    expect(await target(` ${tip} `)).toBe(`/block/${tip}`);
    expect(await target(ids.transfer as string)).toBe(`/tx/${ids.transfer}`);
    expect(await target((ids.buy as string).toUpperCase())).toBe(`/tx/${ids.buy}`);
    expect(await target(fe(NULLIFIERS[1] as bigint))).toBe(`/nullifier/${fe(NULLIFIERS[1] as bigint)}`);
    expect(await target("gold")).toBe(`/asset/${goldId}`);
    expect(await target(goldId)).toBe(`/asset/${goldId}`);
    expect(await target(saleText)).toBe(`/contract/${saleText}`);
    const evm = await DB.prepare("SELECT evm FROM contracts").first<{ evm: string }>();
    expect(await target(`0x${evm?.evm}`)).toBe(`/contract/${saleText}`);
  });

  it("answers what it cannot find with 404 and what it cannot read with 400", async () => {
    expect((await search("NOSUCHTOKEN")).status).toBe(404);
    expect((await search(fe(7n))).status).toBe(404);
    expect((await search("")).status).toBe(400);
    expect((await search("not a thing!")).status).toBe(400);
    expect((await search("x".repeat(301))).status).toBe(400);
  });
});

describe("bad input", () => {
  it("answers unknown heights and ids with a 404 page, malformed ones with a 400 page", async () => {
    const cases: [string, number][] = [
      [`/block/${tip + 1}`, 404],
      ["/block/99999999999999999999", 400],
      ["/block/-1", 400],
      ["/block/01", 400],
      ["/block/1.5", 400],
      [`/tx/${fe(9n)}`, 404],
      ["/tx/abc", 400],
      [`/asset/${fe(9n)}`, 404],
      ["/asset/zz", 400],
      ["/nullifier/12", 400],
      ["/contract/seroc1qqqq", 400],
      ["/contract/sero1abc", 400],
      [`/contract/${encodeText("contractAddress", new Uint8Array(64).fill(9))}`, 404],
      ["/no/such/page", 404],
    ];
    for (const [path, status] of cases) {
      const res = await page(path);
      expect([path, res.status]).toEqual([path, status]);
      expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
      expect(await res.text()).toContain("Back to the overview");
    }
  });

  it("never answers a path segment with a 500", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("block", "tx", "asset", "nullifier", "contract"),
        fc.string({ minLength: 1, maxLength: 130 }),
        async (kind, segment) => {
          const res = await page(`/${kind}/${encodeURIComponent(segment)}`);
          expect(res.status).toBeGreaterThanOrEqual(200);
          expect(res.status).toBeLessThan(500);
          await res.body?.cancel();
        },
      ),
      { numRuns: 60 },
    );
  });

  it("keeps the API's JSON for API clients", async () => {
    const res = await exports.default.fetch("http://sero.test/no/such/page");
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "not_found" } });
  });
});
