/**
 * Compact blocks for wallets (the idea of Zcash's ZIP 307): per committed
 * transaction its nullifiers, its ephemeral key and per output the leaf
 * position, commitment, view tag and ciphertexts; nothing else. A wallet
 * trial-decrypts locally and maintains its own witnesses, so it never tells
 * the server which notes are its own. Each block also lists the shards (§7.1)
 * it completed, so a wallet need not hash the leaves of shards without its notes.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { and, asc, between, eq, max, sql } from "drizzle-orm";
import { fromHex, toHex } from "../../codec/bytes.ts";
import { blocks, commitments, payouts, shards, transactions } from "../../db/schema.ts";
import {
  type CompactBlock,
  type CompactPage,
  type CompactPayout,
  type CompactTx,
  compactParts,
  encodeCompactPage,
} from "../../protocol/compact.ts";
import { type Fr, frFromBytes, frToBytes } from "../../protocol/field.ts";
import { SHARD_HEIGHT } from "../../protocol/merkle/hash.ts";
import { decodeTransaction } from "../../protocol/tx/codec.ts";
import { type App, database } from "../context.ts";
import { ApiError, errorResponses } from "../errors.ts";
import { Decimal, Height, Hex32, HexBytes } from "../schemas.ts";

export const MAX_SYNC_BLOCKS = 100;
/**
 * Transaction bytes a page carries at most (a whole block always fits: a block
 * is at most 1 MiB, block 0 at most 16 genesis transactions of 255 notes,
 * about 3.4 MB). A page cut by bytes ends at a block boundary that depends
 * only on the blocks, so every client gets the same cut and pages still cache.
 */
export const MAX_SYNC_PAGE_BYTES = 4 << 20;
const SHARD_LEAVES = 2 ** SHARD_HEIGHT;

const CompactOutputJson = z.object({
  position: z.number().int(),
  commitment: Hex32,
  viewTag: z.number().int(),
  encCiphertext: z.string(),
  outCiphertext: z.string(),
});

const CompactPayoutJson = z
  .object({
    position: z.number().int(),
    commitment: Hex32,
    pkr: HexBytes(128),
    assetKind: z.enum(["token", "ticket"]),
    assetRef: Hex32.openapi({ description: "token id or ticket category id" }),
    value: Hex32.openapi({ description: "a u128 amount in the last 16 bytes, or a ticket id" }),
    rcm: Hex32,
  })
  .openapi("CompactPayout", { description: "A note a contract paid, its asset, amount and rcm public (§10.4)" });

const CompactTxJson = z.object({
  id: Hex32,
  kind: z.enum(["transfer", "register", "issue", "genesis", "deploy", "call"]),
  fee: Decimal.openapi({ description: "SERO base units; 0 only for genesis" }),
  nullifiers: z.array(Hex32),
  epk: z.string().nullable(),
  outputs: z.array(CompactOutputJson),
  payouts: z.array(CompactPayoutJson).openapi({ description: "after the outputs, in position order" }),
});

const ShardRoot = z.object({ index: z.number().int(), root: Hex32 }).openapi("ShardRoot", {
  description: `The root of shard \`index\`: leaf positions from index·${SHARD_LEAVES}, ${SHARD_LEAVES} of them`,
});

const CompactBlockJson = z
  .object({
    height: z.number().int(),
    anchor: Hex32,
    txs: z.array(CompactTxJson),
    shards: z.array(ShardRoot).openapi({ description: "Shards the block completed, ascending index" }),
  })
  .openapi("CompactBlock");

const route = createRoute({
  method: "get",
  path: "/v1/sync",
  summary: `Compact blocks [from, to] for wallet sync, at most ${MAX_SYNC_BLOCKS} per page`,
  request: { query: z.object({ from: Height, to: Height }) },
  responses: {
    200: {
      description:
        "Compact blocks; `next` is where the following page starts, null at the tip. " +
        "With `Accept: application/octet-stream`, the binary page of PROTOCOL.md §9 (what wallets use).",
      content: {
        "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) },
        "application/json": {
          schema: z.object({
            blocks: z.array(CompactBlockJson),
            tip: z.number().int().nullable(),
            next: z.number().int().nullable(),
          }),
        },
      },
    },
    400: errorResponses[400],
  },
});

const fe = (x: Fr) => toHex(frToBytes(x));
const fromFe = (hex: string) => frFromBytes(fromHex(hex) as Uint8Array);

type LeafRow = { position: number; commitment: string; height: number; txId: string };

function compactJson(page: CompactPage) {
  return {
    blocks: page.blocks.map((b) => ({
      height: b.height,
      anchor: fe(b.anchor),
      txs: b.txs.map((t) => ({
        id: toHex(t.id),
        kind: t.kind,
        fee: t.fee.toString(),
        nullifiers: t.nullifiers.map(fe),
        epk: t.epk === null ? null : toHex(t.epk),
        outputs: t.outputs.map((o) => ({
          position: o.position,
          commitment: fe(o.commitment),
          viewTag: o.viewTag,
          encCiphertext: toHex(o.encCiphertext),
          outCiphertext: toHex(o.outCiphertext),
        })),
        payouts: t.payouts.map((p) => ({
          position: p.position,
          commitment: fe(p.commitment),
          pkr: toHex(p.pkr),
          assetKind: p.assetKind,
          assetRef: fe(p.assetRef),
          value: toHex(p.value),
          rcm: fe(p.rcm),
        })),
      })),
      shards: b.shards.map((s) => ({ index: s.index, root: fe(s.root) })),
    })),
    tip: page.tip,
    next: page.next,
  };
}

/** The last height in [from, to] such that blocks from..that height hold at most `budget` transaction bytes (at least `from`). */
async function lastBlockWithin(db: ReturnType<typeof database>, from: number, to: number, budget: number) {
  const sizes = await db
    .select({ height: transactions.height, bytes: sql<number>`sum(length(${transactions.body}))` })
    .from(transactions)
    .where(between(transactions.height, from, to))
    .groupBy(transactions.height)
    .orderBy(asc(transactions.height));
  let total = 0;
  for (const { height, bytes } of sizes) {
    total += bytes;
    if (total > budget && height > from) {
      return height - 1;
    }
  }
  return to;
}

export function registerSyncRoutes(app: App): void {
  app.openapi(route, async (c) => {
    const { from, to: requested } = c.req.valid("query");
    if (requested < from) {
      throw new ApiError(400, "bad_request", "to must not be below from");
    }
    const binary = c.req.header("Accept")?.includes("application/octet-stream") ?? false;
    const answer = (page: CompactPage) =>
      binary
        ? c.body(encodeCompactPage(page) as Uint8Array<ArrayBuffer>, 200, {
            "Content-Type": "application/octet-stream",
          })
        : c.json(compactJson(page), 200);
    const db = database(c.env);
    const [tipRow] = await db.select({ top: max(blocks.height) }).from(blocks);
    const tip = tipRow?.top ?? null;
    const lastWanted = Math.min(requested, from + MAX_SYNC_BLOCKS - 1, tip ?? -1);
    if (tip === null || from > lastWanted) {
      return answer({ blocks: [], tip, next: null });
    }
    const to = await lastBlockWithin(db, from, lastWanted, MAX_SYNC_PAGE_BYTES);

    const [blockRows, txRows, leafRows, shardRows, payoutRows] = await Promise.all([
      db
        .select({ height: blocks.height, anchor: blocks.anchor })
        .from(blocks)
        .where(between(blocks.height, from, to))
        .orderBy(asc(blocks.height)),
      db
        .select()
        .from(transactions)
        .where(and(between(transactions.height, from, to), eq(transactions.status, "committed")))
        .orderBy(asc(transactions.height), asc(transactions.position)),
      db
        .select()
        .from(commitments)
        .where(between(commitments.height, from, to))
        .orderBy(asc(commitments.position)),
      db
        .select({ index: shards.index, root: shards.root, height: shards.height })
        .from(shards)
        .where(between(shards.height, from, to))
        .orderBy(asc(shards.index)),
      db
        .select()
        .from(payouts)
        .where(between(payouts.height, from, to))
        .orderBy(asc(payouts.position)),
    ]);
    // A transaction is committed at most once, so (height, id) names its leaves.
    const leaves = Map.groupBy(leafRows, (l: LeafRow) => `${l.height}:${l.txId}`);
    const paid = Map.groupBy(payoutRows, (p) => `${p.height}:${p.txId}`);
    const txsByHeight = Map.groupBy(txRows, (t) => t.height);
    const shardsByHeight = Map.groupBy(shardRows, (s) => s.height);
    const compact = blockRows.map(
      (b): CompactBlock => ({
        height: b.height,
        anchor: fromFe(b.anchor),
        txs: (txsByHeight.get(b.height) ?? []).map((t): CompactTx => {
          const tx = decodeTransaction(new Uint8Array(t.body));
          const parts = compactParts(tx);
          const txLeaves = leaves.get(`${t.height}:${t.id}`) ?? [];
          return {
            id: fromHex(t.id) as Uint8Array,
            kind: tx.kind,
            fee: parts.fee,
            nullifiers: parts.nullifiers,
            // A contract transaction's leaves: its outputs (the opened one excepted), then its payouts (§10.4).
            payouts: (paid.get(`${t.height}:${t.id}`) ?? []).map(
              (p): CompactPayout => ({
                position: p.position,
                commitment: fromFe(p.commitment),
                pkr: fromHex(p.pkr) as Uint8Array,
                assetKind: p.assetKind,
                assetRef: fromFe(p.assetRef),
                value: fromHex(p.value) as Uint8Array,
                rcm: fromFe(p.rcm),
              }),
            ),
            epk: parts.epk,
            outputs: parts.outputs.map((o, i) => {
              const leaf = txLeaves[i] as LeafRow;
              return { position: leaf.position, commitment: fromFe(leaf.commitment), ...o };
            }),
          };
        }),
        shards: (shardsByHeight.get(b.height) ?? []).map((s) => ({ index: s.index, root: fromFe(s.root) })),
      }),
    );
    const more = to < Math.min(requested, tip);
    // Committed blocks never change: a page below the tip is cacheable forever.
    c.header("Cache-Control", to < tip ? "public, max-age=31536000, immutable" : "public, max-age=2");
    c.header("Vary", "Accept");
    return answer({ blocks: compact, tip, next: more ? to + 1 : null });
  });
}
