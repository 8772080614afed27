/**
 * D1 schema: the public, queryable projection of committed blocks. Replicas
 * are the source of truth and write it (durable-objects/projection-outbox.ts).
 * Nothing private is stored: commitments, nullifiers and ciphertexts are public data.
 */
import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const blocks = sqliteTable("blocks", {
  height: integer("height").primaryKey(),
  stateRoot: text("state_root").notNull(),
  anchor: text("anchor").notNull(),
  txCount: integer("tx_count").notNull(),
  /** Fees paid in the block, in SERO base units (decimal string: can exceed 2^53). */
  fees: text("fees").notNull(),
  /**
   * The commitment tree's canonical frontier after the block (§7), hex. Nullable:
   * blocks projected before the column existed have none, and no default would be true.
   */
  frontier: text("frontier"),
});

export const transactions = sqliteTable(
  "transactions",
  {
    height: integer("height").notNull(),
    position: integer("position").notNull(),
    /** Not unique: the same bytes may be included twice, the second time rejected. */
    id: text("id").notNull(),
    /** Null when the bytes did not decode. */
    kind: text("kind", { enum: ["transfer", "register", "issue", "genesis", "deploy", "call"] }),
    status: text("status", { enum: ["committed", "rejected"] }).notNull(),
    code: text("code"),
    /** The canonical encoding: public by construction (PROTOCOL.md §8). */
    body: blob("body", { mode: "buffer" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.height, t.position] }), index("transactions_by_id").on(t.id)],
);

export const nullifiers = sqliteTable("nullifiers", {
  nullifier: text("nullifier").primaryKey(),
  height: integer("height").notNull(),
  txId: text("tx_id").notNull(),
});

export const commitments = sqliteTable(
  "commitments",
  {
    position: integer("position").primaryKey(),
    /** Not unique: an issuer can repeat a seal; the position tells the notes apart (§6). */
    commitment: text("commitment").notNull(),
    height: integer("height").notNull(),
    txId: text("tx_id").notNull(),
  },
  (t) => [index("commitments_by_height").on(t.height), index("commitments_by_value").on(t.commitment)],
);

/** Roots of complete shards (§7.1): subtrees of 2^SHARD_HEIGHT leaves, shard i at positions i·2^SHARD_HEIGHT onwards. */
export const shards = sqliteTable("shards", {
  index: integer("index").primaryKey(),
  root: text("root").notNull(),
  /** The block that completed the shard. */
  height: integer("height").notNull(),
});

export const anchors = sqliteTable("anchors", {
  root: text("root").primaryKey(),
  height: integer("height").notNull(),
});

/** Unique as the ledger keys them (PROTOCOL.md §4): by kind and name, so a token and a ticket category may share a name. */
export const assets = sqliteTable(
  "assets",
  {
    id: text("id").primaryKey(),
    kind: text("kind", { enum: ["token", "ticket"] }).notNull(),
    name: text("name").notNull(),
    decimals: integer("decimals").notNull(),
    issuer: text("issuer").notNull(),
    supplyRule: text("supply_rule", { enum: ["capped", "unlimited"] }).notNull(),
    cap: text("cap"),
    issued: text("issued").notNull(),
    fees: text("fees").notNull(),
    nonce: text("nonce").notNull(),
  },
  (t) => [uniqueIndex("assets_by_kind_and_name").on(t.kind, t.name)],
);

export const validators = sqliteTable("validators", {
  index: integer("index").primaryKey(),
  publicKey: text("public_key").notNull().unique(),
  lastSeenHeight: integer("last_seen_height").notNull(),
});
