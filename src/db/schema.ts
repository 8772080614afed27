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
    /** A committed deploy's or call's outcome (PROTOCOL.md §10.6); null for every other transaction. */
    outcome: text("outcome"),
    /** Decimal string, with `outcome`. */
    gasUsed: text("gas_used"),
    /** Hex, with `outcome`. */
    returnData: text("return_data"),
    /** The contract a deploy created (64 bytes, hex). */
    createdContract: text("created_contract"),
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

/** Contracts created by deploys and by contracts (PROTOCOL.md §10.2). */
export const contracts = sqliteTable("contracts", {
  /** The 64-byte address, hex. */
  address: text("address").primaryKey(),
  /** Its 20-byte EVM address, hex: one-to-one with `address` by the ledger's registry. */
  evm: text("evm").notNull().unique(),
  height: integer("height").notNull(),
  txId: text("tx_id").notNull(),
});

/** Events of successful contract transactions (PROTOCOL.md §10.6), in execution order. */
export const contractEvents = sqliteTable(
  "contract_events",
  {
    height: integer("height").notNull(),
    /** The event's index among the block's events. */
    logIndex: integer("log_index").notNull(),
    txId: text("tx_id").notNull(),
    /** The emitting contract's 64-byte address, hex. */
    contract: text("contract").notNull(),
    /** Up to four 32-byte topics, hex, concatenated. */
    topics: text("topics").notNull(),
    data: text("data").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.height, t.logIndex] }),
    index("contract_events_by_contract").on(t.contract, t.height),
  ],
);

/** Notes contracts paid (PROTOCOL.md §10.4): public asset, amount and rcm, also among `commitments`. */
export const payouts = sqliteTable(
  "payouts",
  {
    position: integer("position").primaryKey(),
    height: integer("height").notNull(),
    txId: text("tx_id").notNull(),
    /** The recipient's one-time address (128 bytes), hex. */
    pkr: text("pkr").notNull(),
    assetKind: text("asset_kind", { enum: ["token", "ticket"] }).notNull(),
    /** Token id or ticket category id, hex. */
    assetRef: text("asset_ref").notNull(),
    /** 32 bytes, hex: a u128 amount or a ticket id (§8.4). */
    value: text("value").notNull(),
    rcm: text("rcm").notNull(),
    commitment: text("commitment").notNull(),
  },
  (t) => [index("payouts_by_height").on(t.height)],
);
