/**
 * The index keeps up with any history of contract blocks: random buys of a
 * TokenSale (enough, too little, too much SERO, none), withdrawals by the
 * owner and by others, calls to no contract, a second sale of a taken symbol
 * and garbage run through the ledger (real EVM, proofs faked) inside workerd
 * and into D1. Every block projects, once; afterwards D1's contracts, events,
 * payouts and outcomes are exactly the ledger's, and /v1/sync hands a wallet
 * every leaf in order, each payout where the ledger appended it.
 */
import { env, exports } from "cloudflare:workers";
import fc from "fast-check";
import { encodeDeployData } from "viem";
import { describe, expect, it } from "vitest";
import { fromHex, toHex } from "../../src/codec/bytes.ts";
import { projectBlock } from "../../src/db/projection.ts";
import { type Fr, frToBytes } from "../../src/protocol/field.ts";
import { encodeTransaction } from "../../src/protocol/tx/codec.ts";
import { calldata, SERO, SERO_ASSET_ID, type TestCaller, testCaller, tokenValue } from "../contracts/ledger-chain.ts";
import { RecordedChain, TOKEN_SALE } from "./contract-history.ts";

const DB = (env as unknown as { DB: D1Database }).DB;
const TABLES = ["blocks", "transactions", "nullifiers", "commitments", "shards", "anchors", "assets"];
const CONTRACT_TABLES = ["contracts", "contract_events", "payouts"];
const CALLERS = [testCaller("owner"), testCaller("buyer1"), testCaller("buyer2")];
/** Too little to buy a token, enough, and more than the sale holds (1000 tokens at 100 a SERO). */
const PAYMENTS = [null, SERO / 100n - 1n, SERO, 3n * SERO, 11n * SERO];
const SALE_ARGS = ["GOLD", 0, 1000n, 100n] as const;

type Op =
  | { op: "buy"; caller: number; payment: number }
  | { op: "withdraw"; caller: number; amount: number }
  | { op: "nowhere"; payment: number }
  | { op: "resale" }
  | { op: "garbage"; bytes: Uint8Array };

const caller = fc.nat({ max: CALLERS.length - 1 });
const payment = fc.nat({ max: PAYMENTS.length - 1 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant("buy" as const), caller, payment }) },
  fc.record({ op: fc.constant("withdraw" as const), caller, amount: fc.nat({ max: 4 }) }),
  fc.record({ op: fc.constant("nowhere" as const), payment }),
  fc.record({ op: fc.constant("resale" as const) }),
  fc.record({ op: fc.constant("garbage" as const), bytes: fc.uint8Array({ maxLength: 40 }) }),
);

function build(chain: RecordedChain, sale: Uint8Array, o: Op): Uint8Array {
  const paid = (i: number) => {
    const amount = PAYMENTS[i];
    return amount ? { value: tokenValue(SERO_ASSET_ID, amount) } : {};
  };
  const call = (who: TestCaller, contract: Uint8Array, data: Uint8Array, options = {}) =>
    encodeTransaction(chain.contractTx(who, { kind: "call", contract, calldata: data }, options));
  switch (o.op) {
    case "buy":
      return call(CALLERS[o.caller] as TestCaller, sale, calldata(TOKEN_SALE.abi, "buy"), paid(o.payment));
    case "withdraw":
      return call(
        CALLERS[o.caller] as TestCaller,
        sale,
        calldata(TOKEN_SALE.abi, "withdraw", [BigInt(o.amount) * SERO]),
      );
    case "nowhere":
      return call(CALLERS[1] as TestCaller, new Uint8Array(64).fill(9), new Uint8Array(), paid(o.payment));
    case "resale": {
      // The same symbol again, which issueToken refuses: a deploy that reverts.
      const initCode = fromHex(encodeDeployData({ ...TOKEN_SALE, args: SALE_ARGS } as never).slice(2)) as Uint8Array;
      return encodeTransaction(chain.contractTx(CALLERS[2] as TestCaller, { kind: "deploy", initCode }));
    }
    case "garbage":
      return o.bytes;
  }
}

const fe = (x: Fr) => toHex(frToBytes(x));

async function rows(sql: string): Promise<Record<string, unknown>[]> {
  return (await DB.prepare(sql).all()).results;
}

type PayoutJson = { position: number; commitment: string; pkr: string; value: string; rcm: string };
type SyncPage = {
  blocks: { txs: { id: string; outputs: { position: number }[]; payouts: PayoutJson[] }[] }[];
  next: number | null;
};

describe("D1 projection of any history of contract blocks", () => {
  it("projects every block once, and D1 then equals the ledger", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(op, { maxLength: 5 }), { minLength: 1, maxLength: 4 }), async (history) => {
        await DB.batch([...TABLES, ...CONTRACT_TABLES].map((t) => DB.prepare(`DELETE FROM ${t}`)));
        const chain = new RecordedChain();
        await chain.genesis();
        const { address: sale } = await chain.deploy(CALLERS[0] as TestCaller, TOKEN_SALE, SALE_ARGS);
        for (const ops of history) {
          await chain.apply(ops.map((o) => build(chain, sale, o)));
        }
        for (const block of chain.blocks) {
          expect(await projectBlock(DB, block)).toBe("projected");
        }
        for (const block of chain.blocks) {
          expect(await projectBlock(DB, block)).toBe("already_projected");
        }

        const txIdOf = (height: number, txIndex: number) =>
          toHex(chain.blocks[height]?.result.receipts[txIndex]?.txId as Uint8Array);
        const each = <T>(pick: (b: (typeof chain.blocks)[number]) => readonly T[]) =>
          chain.blocks.flatMap((b) => pick(b).map((item) => ({ item, height: b.height })));

        expect(await rows("SELECT address, evm, height, tx_id FROM contracts ORDER BY height, address")).toEqual(
          each((b) => b.result.effects.contracts)
            .map(({ item, height }) => ({
              address: toHex(item.address),
              evm: toHex(item.evm),
              height,
              tx_id: txIdOf(height, item.txIndex),
            }))
            .sort((a, b) => a.height - b.height || (a.address < b.address ? -1 : 1)),
        );
        expect(
          await rows("SELECT height, tx_id, contract, topics, data FROM contract_events ORDER BY height, log_index"),
        ).toEqual(
          each((b) => b.result.effects.logs).map(({ item, height }) => ({
            height,
            tx_id: txIdOf(height, item.txIndex),
            contract: toHex(item.contract),
            topics: item.topics.map(toHex).join(""),
            data: toHex(item.data),
          })),
        );
        const payouts = each((b) => b.result.effects.payouts).map(({ item, height }) => ({
          position: item.position,
          height,
          tx_id: txIdOf(height, item.txIndex),
          pkr: toHex(item.pkr),
          asset_kind: item.assetKind,
          asset_ref: fe(item.assetRef),
          value: toHex(item.value),
          rcm: fe(item.rcm),
          commitment: fe(item.commitment),
        }));
        expect(await rows("SELECT * FROM payouts ORDER BY position")).toEqual(payouts);
        expect(
          await rows(
            "SELECT height, position, outcome, gas_used, return_data, created_contract FROM transactions ORDER BY height, position",
          ),
        ).toEqual(
          each((b) => b.result.receipts).map(({ item, height }) => {
            const outcome = item.status === "committed" ? item.outcome : undefined;
            return {
              height,
              position: item.index,
              outcome: outcome?.code ?? null,
              gas_used: outcome?.gasUsed.toString() ?? null,
              return_data: outcome ? toHex(outcome.returnData) : null,
              created_contract: outcome?.contract ? toHex(outcome.contract) : null,
            };
          }),
        );

        // A wallet syncing sees every leaf once, in order, and each payout as the ledger made it.
        const page = (await (await exports.default.fetch("http://sero.test/v1/sync?from=0&to=99")).json()) as SyncPage;
        const txs = page.blocks.flatMap((b) => b.txs);
        const leaves = txs.flatMap((t) => [...t.outputs, ...t.payouts].map((l) => l.position));
        const [{ n }] = (await rows("SELECT count(*) AS n FROM commitments")) as [{ n: number }];
        expect(leaves).toEqual(Array.from({ length: n }, (_, i) => i));
        expect(txs.flatMap((t) => t.payouts.map((p) => [p.position, p.commitment, p.pkr, p.value, p.rcm]))).toEqual(
          payouts.map((p) => [p.position, p.commitment, p.pkr, p.value, p.rcm]),
        );
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});
