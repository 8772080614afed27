/**
 * The index reads only the explorer makes: the newest blocks and
 * transactions, a transaction's commitments and payouts, an asset's
 * issuances. Single-row lookups reuse the API routes' own queries.
 */
import { and, asc, count, desc, eq, gte, inArray, max } from "drizzle-orm";
import { type Bindings, database } from "../api/context.ts";
import { toAsset } from "../api/routes/assets.ts";
import { assets, blocks, commitments, contracts, payouts, transactions } from "../db/schema.ts";

/** How many issuances an asset page charts at most: the newest ones. */
export const MAX_CHARTED_ISSUANCES = 500;

/** The height of the newest block in the index; 0 before genesis is indexed. */
export async function tipHeight(env: Bindings): Promise<number> {
  const [tip] = await database(env)
    .select({ height: max(blocks.height) })
    .from(blocks);
  return tip?.height ?? 0;
}

/** The newest `limit` blocks, newest first, each with how many of its transactions committed. */
export async function recentBlocks(env: Bindings, limit: number) {
  const db = database(env);
  const rows = await db
    .select({ height: blocks.height, txCount: blocks.txCount, fees: blocks.fees, stateRoot: blocks.stateRoot })
    .from(blocks)
    .orderBy(desc(blocks.height))
    .limit(limit);
  const lowest = rows.at(-1)?.height;
  if (lowest === undefined) {
    return [];
  }
  const committed = await db
    .select({ height: transactions.height, committed: count() })
    .from(transactions)
    .where(and(gte(transactions.height, lowest), eq(transactions.status, "committed")))
    .groupBy(transactions.height);
  const byHeight = new Map(committed.map((r) => [r.height, r.committed]));
  return rows.map((r) => ({ ...r, committed: byHeight.get(r.height) ?? 0 }));
}

/** The newest `limit` transactions, newest first, without their bodies. */
export function recentTransactions(env: Bindings, limit: number) {
  return database(env)
    .select({
      id: transactions.id,
      height: transactions.height,
      position: transactions.position,
      kind: transactions.kind,
      status: transactions.status,
      code: transactions.code,
    })
    .from(transactions)
    .orderBy(desc(transactions.height), desc(transactions.position))
    .limit(limit);
}

/** The commitments a committed transaction added to the tree, in tree order. */
export function commitmentsOf(env: Bindings, txId: string) {
  return database(env)
    .select({ position: commitments.position, commitment: commitments.commitment })
    .from(commitments)
    .where(eq(commitments.txId, txId))
    .orderBy(asc(commitments.position));
}

/** Notes contracts paid in a transaction: public asset and amount (PROTOCOL.md §10.4). */
export function payoutsOf(env: Bindings, txId: string) {
  return database(env)
    .select({
      position: payouts.position,
      assetKind: payouts.assetKind,
      assetRef: payouts.assetRef,
      value: payouts.value,
    })
    .from(payouts)
    .where(eq(payouts.txId, txId))
    .orderBy(asc(payouts.position));
}

/** Committed transactions of the given kinds with their bodies, oldest first (the newest `limit`). */
export async function committedBodies(env: Bindings, kinds: ("issue" | "genesis")[], limit: number) {
  const rows = await database(env)
    .select({ height: transactions.height, body: transactions.body })
    .from(transactions)
    .where(and(inArray(transactions.kind, kinds), eq(transactions.status, "committed")))
    .orderBy(desc(transactions.height), desc(transactions.position))
    .limit(limit);
  return rows.reverse();
}

/** The contract the index knows by its 64-byte address (hex) or its 20-byte EVM address (hex). */
export async function indexedContract(env: Bindings, by: { address: string } | { evm: string }) {
  const where = "address" in by ? eq(contracts.address, by.address) : eq(contracts.evm, by.evm);
  const [row] = await database(env).select().from(contracts).where(where);
  return row;
}

/** The registered assets named `name`: a token and a ticket category may share one (PROTOCOL.md §4). */
export async function assetsNamed(env: Bindings, name: string) {
  const rows = await database(env).select().from(assets).where(eq(assets.name, name)).orderBy(asc(assets.kind));
  return rows.map(toAsset);
}
