/**
 * Writes one committed block into D1, idempotently keyed by height: a block
 * already projected is skipped, so a replica can replay after a failure or
 * rebuild the index from scratch; a gap is refused so heights stay dense.
 * All rows of a block go in one D1 batch, which D1 runs as one transaction.
 */
import { max } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { drizzle } from "drizzle-orm/d1";
import { toHex } from "../codec/bytes.ts";
import type { Block, BlockResult } from "../ledger/execute.ts";
import { type Fr, frToBytes } from "../protocol/field.ts";
import * as schema from "./schema.ts";

export type CommittedBlock = Block & { readonly result: BlockResult };

const fe = (x: Fr) => toHex(frToBytes(x));

export class ProjectionGapError extends Error {}

export async function projectBlock(d1: D1Database, block: CommittedBlock): Promise<"projected" | "already_projected"> {
  const db = drizzle(d1, { schema });
  const [row] = await db.select({ top: max(schema.blocks.height) }).from(schema.blocks);
  const top = row?.top ?? -1;
  if (block.height <= top) {
    return "already_projected";
  }
  if (block.height !== top + 1) {
    throw new ProjectionGapError(`block ${block.height} after ${top}: replay the gap first`);
  }

  const { changes, receipts, effects } = block.result;
  const txIdAt = (index: number) => toHex(receipts[index]?.txId as Uint8Array);
  const statements: BatchItem<"sqlite">[] = [
    db.insert(schema.blocks).values({
      height: block.height,
      stateRoot: toHex(changes.meta.stateRoot),
      anchor: fe(changes.anchor.root),
      txCount: block.transactions.length,
      fees: effects.fees.toString(),
    }),
    db
      .insert(schema.anchors)
      .values({ root: fe(changes.anchor.root), height: block.height })
      .onConflictDoUpdate({ target: schema.anchors.root, set: { height: block.height } }),
  ];
  for (const r of receipts) {
    statements.push(
      db.insert(schema.transactions).values({
        height: block.height,
        position: r.index,
        id: toHex(r.txId),
        kind: r.kind ?? null,
        status: r.status,
        code: r.status === "rejected" ? r.code : null,
        body: Buffer.from(block.transactions[r.index] as Uint8Array),
      }),
    );
  }
  for (const n of effects.nullifiers) {
    statements.push(
      db
        .insert(schema.nullifiers)
        .values({ nullifier: fe(n.nullifier), height: block.height, txId: txIdAt(n.txIndex) }),
    );
  }
  for (const c of effects.commitments) {
    statements.push(
      db
        .insert(schema.commitments)
        .values({ position: c.position, commitment: fe(c.commitment), height: block.height, txId: txIdAt(c.txIndex) }),
    );
  }
  for (const [id, a] of changes.assets) {
    const row = {
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
    };
    statements.push(db.insert(schema.assets).values(row).onConflictDoUpdate({ target: schema.assets.id, set: row }));
  }
  try {
    await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  } catch (e) {
    // Replicas sharing one D1 race to project the same block; the batch is
    // atomic, so the loser wrote nothing and the winner wrote the same rows.
    if ((await projectedHeight(db)) >= block.height) {
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
