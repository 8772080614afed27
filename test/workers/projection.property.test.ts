/**
 * The index can never refuse a block the ledger committed: random blocks of
 * registrations (every kind, names shared across kinds and repeated),
 * issuances (right and wrong nonces, repeated tickets), transfers (reused
 * nullifiers, stale anchors) and garbage run through the ledger and then into
 * Miniflare's D1, and every block projects; afterwards D1 holds exactly the
 * ledger's assets, nullifiers and commitments.
 */

import { env } from "cloudflare:workers";
import { ed25519 } from "@noble/curves/ed25519.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toHex } from "../../src/codec/bytes.ts";
import { DEFAULT_CONTRACT_PARAMS } from "../../src/contracts/params.ts";
import { projectBlock } from "../../src/db/projection.ts";
import { executeBlock, type LedgerConfig } from "../../src/ledger/execute.ts";
import { emptyLedgerMeta } from "../../src/ledger/genesis.ts";
import { MemoryLedgerStore } from "../../src/ledger/store.ts";
import { registeredId, SERO_SYMBOL } from "../../src/protocol/asset.ts";
import { type Fr, frToBytes } from "../../src/protocol/field.ts";
import { IncrementalTree } from "../../src/protocol/merkle/tree.ts";
import { encodeTransaction } from "../../src/protocol/tx/codec.ts";
import { signTransaction } from "../../src/protocol/tx/signature.ts";
import type {
  IssuedOutput,
  IssueTx,
  RegisterTx,
  ShieldedSpend,
  Transaction,
  TransferTx,
} from "../../src/protocol/tx/types.ts";
import { sampleGenesis, sampleIssue, samplePayment, sampleTransfer } from "../protocol/fixtures.ts";

const DB = (env as unknown as { DB: D1Database }).DB;
const CHAIN = "sero-test-1";
const TABLES = ["blocks", "transactions", "nullifiers", "commitments", "shards", "anchors", "assets"];
/** Every proof is taken as valid: what is under test is what the ledger commits, not who proved it. */
const acceptAll = { verify: async (items: readonly unknown[]) => items.map(() => true) };
const config: LedgerConfig = {
  chainId: CHAIN,
  anchorWindow: 2,
  minFee: 0n,
  contracts: DEFAULT_CONTRACT_PARAMS,
  verifier: acceptAll,
};

/** Names valid as a token symbol and as a ticket category, the native coin's among them. */
const NAMES = [SERO_SYMBOL, "GOLD", "A", "TICKET1"];
const ISSUER = new Uint8Array(32).fill(5);
const ISSUER_PUBLIC = ed25519.getPublicKey(ISSUER);
const ISSUE = sampleIssue();
const TRANSFER = sampleTransfer();
const PAYMENT = samplePayment();
const output = ISSUE.outputs[0] as IssuedOutput;

/** A shielded spend: a transfer, or a registration's or issuance's fee payment (PROTOCOL.md §8.9). */
type Spend = { nullifiers: [number, number]; fee: number; staleAnchor: boolean };

type Op =
  | { op: "register"; kind: "token" | "ticket"; name: string; capped: boolean; pay: Spend }
  | { op: "issue"; kind: "token" | "ticket"; name: string; nonce: number; values: number[]; pay: Spend }
  | ({ op: "transfer" } & Spend)
  | { op: "garbage"; bytes: Uint8Array };

const kind = fc.constantFrom("token" as const, "ticket" as const);
const name = fc.constantFrom(...NAMES);
const spend = {
  nullifiers: fc.tuple(fc.nat({ max: 6 }), fc.nat({ max: 6 })).filter(([a, b]) => a !== b),
  fee: fc.nat({ max: 3 }),
  staleAnchor: fc.boolean(),
};
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant("register" as const), kind, name, capped: fc.boolean(), pay: fc.record(spend) }),
  fc.record({
    op: fc.constant("issue" as const),
    kind,
    name,
    nonce: fc.nat({ max: 2 }),
    values: fc.array(fc.nat({ max: 3 }), { minLength: 1, maxLength: 3 }),
    pay: fc.record(spend),
  }),
  fc.record({ op: fc.constant("transfer" as const), ...spend }),
  fc.record({ op: fc.constant("garbage" as const), bytes: fc.uint8Array({ maxLength: 40 }) }),
);

function value(kind: "token" | "ticket", v: number): Uint8Array {
  const bytes = new Uint8Array(32);
  bytes[kind === "token" ? 31 : 0] = v + 1;
  return bytes;
}

function build(o: Op, anchors: { latest: Fr; stale: Fr }): Uint8Array {
  if (o.op === "garbage") {
    return o.bytes;
  }
  const spent = (s: Spend): ShieldedSpend => ({
    ...PAYMENT,
    anchor: s.staleAnchor ? anchors.stale : anchors.latest,
    nullifiers: s.nullifiers.map((n) => BigInt(n + 1) as Fr),
    fee: BigInt(s.fee),
  });
  let tx: Transaction;
  if (o.op === "register") {
    const register: RegisterTx = {
      kind: "register",
      registration: {
        assetKind: o.kind,
        name: o.name,
        decimals: o.kind === "token" ? 6 : 0,
        issuer: ISSUER_PUBLIC,
        supply: o.capped ? { kind: "capped", cap: 4n } : { kind: "unlimited" },
      },
      epk: ISSUE.epk,
      payment: spent(o.pay),
      signature: new Uint8Array(64),
    };
    tx = signTransaction(register, CHAIN, ISSUER);
  } else if (o.op === "issue") {
    const issue: IssueTx = {
      ...ISSUE,
      assetKind: o.kind,
      assetRef: registeredId({ assetKind: o.kind, name: o.name }),
      nonce: BigInt(o.nonce),
      outputs: o.values.map((v, i) => ({ ...output, value: value(o.kind, v), seal: BigInt(9000 + i) as Fr })),
      payment: spent(o.pay),
    };
    tx = signTransaction(issue, CHAIN, ISSUER);
  } else {
    const transfer: TransferTx = { ...TRANSFER, ...spent(o) };
    tx = transfer;
  }
  return encodeTransaction(tx);
}

async function count(table: string): Promise<number> {
  return ((await DB.prepare(`SELECT count(*) AS n FROM ${table}`).first()) as { n: number }).n;
}

describe("D1 projection of any ledger-valid history", () => {
  it("projects every block the ledger commits, and D1 then equals the ledger", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(op, { maxLength: 6 }), { minLength: 1, maxLength: 5 }), async (blocks) => {
        await DB.batch(TABLES.map((t) => DB.prepare(`DELETE FROM ${t}`)));
        const store = new MemoryLedgerStore(emptyLedgerMeta());
        const genesis = { height: 0, transactions: [encodeTransaction(sampleGenesis())] };
        const first = await executeBlock(store, genesis, config);
        store.commit(first.changes);
        expect(await projectBlock(DB, { ...genesis, result: first })).toBe("projected");
        const roots: Fr[] = [IncrementalTree.decode(store.meta().frontier).root()];
        let nullifiers = 0;
        let registered = 1; // SERO, at genesis
        for (const ops of blocks) {
          const anchors = { latest: roots.at(-1) as Fr, stale: (roots.at(-4) ?? 1n) as Fr };
          const block = { height: store.meta().height + 1, transactions: ops.map((o) => build(o, anchors)) };
          const result = await executeBlock(store, block, config);
          store.commit(result.changes);
          roots.push(result.changes.anchor.root);
          nullifiers += result.effects.nullifiers.length;
          registered += result.receipts.filter((r) => r.kind === "register" && r.status === "committed").length;
          expect(await projectBlock(DB, { ...block, result })).toBe("projected");
        }
        expect(await count("blocks")).toBe(blocks.length + 1);
        expect(await count("nullifiers")).toBe(nullifiers);
        expect(await count("commitments")).toBe(IncrementalTree.decode(store.meta().frontier).size);
        const rows = (await DB.prepare("SELECT id, kind, name, issued, nonce FROM assets").all()).results;
        expect(rows.length).toBe(registered);
        for (const row of rows) {
          const id = BigInt(`0x${row.id as string}`) as Fr;
          const record = store.asset(id);
          expect(record && toHex(frToBytes(registeredId(record.registration)))).toBe(row.id);
          expect([row.kind, row.name, row.issued, row.nonce]).toEqual([
            record?.registration.assetKind,
            record?.registration.name,
            record?.issued.toString(),
            record?.nonce.toString(),
          ]);
        }
      }),
      { numRuns: 40 },
    );
    // Registrations and issuances spend and append too (their fee payments): more D1 rows per history.
  }, 30_000);
});
