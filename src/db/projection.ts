/**
 * Writes one committed block into D1, idempotently keyed by height: a block
 * already projected is skipped, so a replica can retry after a failure and
 * replicas sharing one D1 can all write; a gap is refused so heights stay dense.
 * All rows of a block go in one D1 batch, which D1 runs as one transaction.
 */
import { max } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { drizzle } from "drizzle-orm/d1";
import { toHex } from "../codec/bytes.ts";
import type { Block, BlockResult, Receipt } from "../ledger/execute.ts";
import { type Fr, frToBytes } from "../protocol/field.ts";
import * as schema from "./schema.ts";

export type CommittedBlock = Block & { readonly result: BlockResult };

const fe = (x: Fr) => toHex(frToBytes(x));

export class ProjectionGapError extends Error {}

/** Every D1 row of one block, as plain data (strings and numbers): storable as JSON until written. */
export type BlockRows = {
  readonly block: typeof schema.blocks.$inferSelect;
  readonly anchor: typeof schema.anchors.$inferSelect;
  /** Transaction rows with `body` as lowercase hex. */
  readonly transactions: readonly (Omit<typeof schema.transactions.$inferInsert, "body"> & { body: string })[];
  readonly nullifiers: readonly (typeof schema.nullifiers.$inferInsert)[];
  readonly commitments: readonly (typeof schema.commitments.$inferInsert)[];
  readonly shards: readonly (typeof schema.shards.$inferInsert)[];
  readonly assets: readonly (typeof schema.assets.$inferInsert)[];
  readonly contracts: readonly (typeof schema.contracts.$inferInsert)[];
  readonly contractEvents: readonly (typeof schema.contractEvents.$inferInsert)[];
  readonly payouts: readonly (typeof schema.payouts.$inferInsert)[];
};

/** Rows as an outbox may hold them: entries stored before shards, frontiers or contracts existed lack them. */
export type StoredBlockRows = Omit<BlockRows, "block" | "shards" | "contracts" | "contractEvents" | "payouts"> & {
  readonly block: Omit<BlockRows["block"], "frontier"> & { readonly frontier?: string | null };
  readonly shards?: BlockRows["shards"];
  readonly contracts?: BlockRows["contracts"];
  readonly contractEvents?: BlockRows["contractEvents"];
  readonly payouts?: BlockRows["payouts"];
};

/** A deploy's or call's outcome columns (PROTOCOL.md §10.6); all null for other transactions. */
function outcomeColumns(receipt: Receipt) {
  const outcome = receipt.status === "committed" ? receipt.outcome : undefined;
  return {
    outcome: outcome?.code ?? null,
    gasUsed: outcome?.gasUsed.toString() ?? null,
    returnData: outcome ? toHex(outcome.returnData) : null,
    createdContract: outcome?.contract ? toHex(outcome.contract) : null,
  };
}

/** The public rows a committed block adds to the index (no I/O). */
export function blockRows(block: CommittedBlock): BlockRows {
  const { changes, receipts, effects } = block.result;
  const txIdAt = (index: number) => toHex(receipts[index]?.txId as Uint8Array);
  const height = block.height;
  return {
    block: {
      height,
      stateRoot: toHex(changes.meta.stateRoot),
      anchor: fe(changes.anchor.root),
      txCount: block.transactions.length,
      fees: effects.fees.toString(),
      frontier: toHex(changes.meta.frontier),
    },
    anchor: { root: fe(changes.anchor.root), height },
    transactions: receipts.map((r) => ({
      height,
      position: r.index,
      id: toHex(r.txId),
      kind: r.kind ?? null,
      status: r.status,
      code: r.status === "rejected" ? r.code : null,
      ...outcomeColumns(r),
      body: toHex(block.transactions[r.index] as Uint8Array),
    })),
    nullifiers: effects.nullifiers.map((n) => ({ nullifier: fe(n.nullifier), height, txId: txIdAt(n.txIndex) })),
    commitments: effects.commitments.map((c) => ({
      position: c.position,
      commitment: fe(c.commitment),
      height,
      txId: txIdAt(c.txIndex),
    })),
    shards: effects.shards.map((s) => ({ index: s.index, root: fe(s.root), height })),
    assets: [...changes.assets].map(([id, a]) => ({
      id: fe(id),
      kind: a.registration.assetKind,
      name: a.registration.name,
      decimals: a.registration.decimals,
      issuer: toHex(a.registration.issuer),
      supplyRule: a.registration.supply.kind,
      cap: a.registration.supply.kind === "capped" ? a.registration.supply.cap.toString() : null,
      issued: a.issued.toString(),
      fees: a.fees.toString(),
      nonce: a.nonce.toString(),
    })),
    contracts: effects.contracts.map((c) => ({
      address: toHex(c.address),
      evm: toHex(c.evm),
      height,
      txId: txIdAt(c.txIndex),
    })),
    contractEvents: effects.logs.map((l, logIndex) => ({
      height,
      logIndex,
      txId: txIdAt(l.txIndex),
      contract: toHex(l.contract),
      topics: l.topics.map(toHex).join(""),
      data: toHex(l.data),
    })),
    payouts: effects.payouts.map((p) => ({
      position: p.position,
      height,
      txId: txIdAt(p.txIndex),
      pkr: toHex(p.pkr),
      assetKind: p.assetKind,
      assetRef: fe(p.assetRef),
      value: toHex(p.value),
      rcm: fe(p.rcm),
      commitment: fe(p.commitment),
    })),
  };
}

export function projectBlock(d1: D1Database, block: CommittedBlock): Promise<"projected" | "already_projected"> {
  return projectRows(d1, blockRows(block));
}

export async function projectRows(d1: D1Database, rows: StoredBlockRows): Promise<"projected" | "already_projected"> {
  const db = drizzle(d1, { schema });
  const height = rows.block.height;
  const top = await projectedHeight(db);
  if (height <= top) {
    return "already_projected";
  }
  if (height !== top + 1) {
    throw new ProjectionGapError(`block ${height} after ${top}: replay the gap first`);
  }
  const statements: BatchItem<"sqlite">[] = [
    db.insert(schema.blocks).values({ ...rows.block, frontier: rows.block.frontier ?? null }),
    db.insert(schema.anchors).values(rows.anchor).onConflictDoUpdate({ target: schema.anchors.root, set: { height } }),
    ...rows.transactions.map((t) => db.insert(schema.transactions).values({ ...t, body: Buffer.from(t.body, "hex") })),
    ...rows.nullifiers.map((n) => db.insert(schema.nullifiers).values(n)),
    ...rows.commitments.map((c) => db.insert(schema.commitments).values(c)),
    // Idempotent like anchors: a complete shard's root never changes.
    ...(rows.shards ?? []).map((s) =>
      db
        .insert(schema.shards)
        .values(s)
        .onConflictDoUpdate({ target: schema.shards.index, set: { root: s.root, height: s.height } }),
    ),
    ...rows.assets.map((a) =>
      db.insert(schema.assets).values(a).onConflictDoUpdate({ target: schema.assets.id, set: a }),
    ),
    ...(rows.contracts ?? []).map((c) => db.insert(schema.contracts).values(c)),
    ...(rows.contractEvents ?? []).map((e) => db.insert(schema.contractEvents).values(e)),
    ...(rows.payouts ?? []).map((p) => db.insert(schema.payouts).values(p)),
  ];
  try {
    await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  } catch (e) {
    // Replicas sharing one D1 race to project the same block; the batch is
    // atomic, so the loser wrote nothing and the winner wrote the same rows.
    if ((await projectedHeight(db)) >= height) {
      return "already_projected";
    }
    throw e;
  }
  return "projected";
}

async function projectedHeight(db: ReturnType<typeof drizzle<typeof schema>>): Promise<number> {
  const [row] = await db.select({ top: max(schema.blocks.height) }).from(schema.blocks);
  return row?.top ?? -1;
}
