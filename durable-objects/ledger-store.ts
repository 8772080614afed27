/**
 * The ledger's state in the replica's own SQLite storage. Reads are
 * synchronous (the Durable Object SQL API is), so the pure ledger runs over it
 * unchanged; one block's changes are committed in one transaction.
 */
import { fromHex, toHex } from "../src/codec/bytes.ts";
import { emptyLedgerMeta } from "../src/ledger/genesis.ts";
import { EMPTY_DIGEST } from "../src/ledger/state-root.ts";
import type { AssetRecord, LedgerChanges, LedgerMeta, LedgerStore } from "../src/ledger/store.ts";
import type { AssetRegistration } from "../src/protocol/asset.ts";
import { type Fr, frToBytes } from "../src/protocol/field.ts";

const fe = (x: Fr) => toHex(frToBytes(x));

const SCHEMA = [
  "CREATE TABLE IF NOT EXISTS ledger_meta (id INTEGER PRIMARY KEY CHECK (id = 0), height INTEGER NOT NULL, frontier BLOB NOT NULL, nullifier_digest BLOB NOT NULL, asset_digest BLOB NOT NULL, state_root BLOB NOT NULL)",
  "CREATE TABLE IF NOT EXISTS spent_nullifiers (nf TEXT PRIMARY KEY, height INTEGER NOT NULL)",
  "CREATE TABLE IF NOT EXISTS anchors (root TEXT PRIMARY KEY, height INTEGER NOT NULL)",
  "CREATE INDEX IF NOT EXISTS anchors_by_height ON anchors (height)",
  "CREATE TABLE IF NOT EXISTS assets (id TEXT PRIMARY KEY, record TEXT NOT NULL)",
  "CREATE TABLE IF NOT EXISTS tickets (asset TEXT PRIMARY KEY)",
  // Contract state (PROTOCOL.md §10.8): ordered entries, so one contract's are a key range.
  "CREATE TABLE IF NOT EXISTS contract_state (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID",
];

/** Columns added after a table's first version: created on storage that predates them. */
const ADDED_COLUMNS = [{ table: "ledger_meta", column: "contract_digest", type: "BLOB" }] as const;

/** AssetRecord as JSON (bigints and bytes as strings): local storage only, never hashed. */
function encodeAsset(record: AssetRecord): string {
  const r = record.registration;
  return JSON.stringify({
    assetKind: r.assetKind,
    name: r.name,
    decimals: r.decimals,
    issuer: toHex(r.issuer),
    cap: r.supply.kind === "capped" ? r.supply.cap.toString() : null,
    issued: record.issued.toString(),
    fees: record.fees.toString(),
    nonce: record.nonce.toString(),
  });
}

function decodeAsset(json: string): AssetRecord {
  const o = JSON.parse(json);
  const registration: AssetRegistration = {
    assetKind: o.assetKind,
    name: o.name,
    decimals: o.decimals,
    issuer: fromHex(o.issuer) as Uint8Array,
    supply: o.cap === null ? { kind: "unlimited" } : { kind: "capped", cap: BigInt(o.cap) },
  };
  return { registration, issued: BigInt(o.issued), fees: BigInt(o.fees), nonce: BigInt(o.nonce) };
}

const LEDGER_TABLES = ["ledger_meta", "spent_nullifiers", "anchors", "assets", "tickets", "contract_state"] as const;

const bytes = (v: unknown) => new Uint8Array(v as ArrayBuffer);

export class SqliteLedgerStore implements LedgerStore {
  readonly #storage: DurableObjectStorage;
  #meta: LedgerMeta;

  constructor(storage: DurableObjectStorage) {
    this.#storage = storage;
    for (const statement of SCHEMA) {
      storage.sql.exec(statement);
    }
    for (const { table, column, type } of ADDED_COLUMNS) {
      const columns = storage.sql.exec(`PRAGMA table_info(${table})`).toArray();
      if (!columns.some((c) => c.name === column)) {
        storage.sql.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
      }
    }
    const row = storage.sql.exec("SELECT * FROM ledger_meta WHERE id = 0").toArray()[0];
    this.#meta = row
      ? {
          height: row.height as number,
          frontier: bytes(row.frontier),
          nullifierDigest: bytes(row.nullifier_digest),
          assetDigest: bytes(row.asset_digest),
          // A ledger from before contracts has written none: its digest is the empty one.
          contractDigest: row.contract_digest === null ? EMPTY_DIGEST : bytes(row.contract_digest),
          stateRoot: bytes(row.state_root),
        }
      : emptyLedgerMeta();
  }

  /**
   * Forgets the whole ledger, back to before genesis, in one transaction: a diverged replica rebuilds it from
   * genesis by re-executing certified blocks (OPERATING.md "Diverged replica").
   */
  reset(): void {
    this.#storage.transactionSync(() => {
      for (const table of LEDGER_TABLES) {
        this.#storage.sql.exec(`DELETE FROM ${table}`);
      }
    });
    this.#meta = emptyLedgerMeta();
  }

  meta(): LedgerMeta {
    return this.#meta;
  }

  nullifierHeight(nf: Fr): number | undefined {
    const row = this.#storage.sql.exec("SELECT height FROM spent_nullifiers WHERE nf = ?", fe(nf)).toArray()[0];
    return row ? (row.height as number) : undefined;
  }

  anchorHeight(root: Fr): number | undefined {
    const row = this.#storage.sql.exec("SELECT height FROM anchors WHERE root = ?", fe(root)).toArray()[0];
    return row ? (row.height as number) : undefined;
  }

  asset(id: Fr): AssetRecord | undefined {
    const row = this.#storage.sql.exec("SELECT record FROM assets WHERE id = ?", fe(id)).toArray()[0];
    return row ? decodeAsset(row.record as string) : undefined;
  }

  hasTicket(asset: Fr): boolean {
    return this.#storage.sql.exec("SELECT 1 FROM tickets WHERE asset = ?", fe(asset)).toArray().length > 0;
  }

  contractValue(key: string): Uint8Array | undefined {
    const row = this.#storage.sql.exec("SELECT value FROM contract_state WHERE key = ?", key).toArray()[0];
    return row ? bytes(row.value) : undefined;
  }

  /** Entries whose keys start with `prefix`, in key order: keys are ASCII, so the range ends at the next code unit. */
  contractEntries(prefix: string): [string, Uint8Array][] {
    const rows =
      prefix === ""
        ? this.#storage.sql.exec("SELECT key, value FROM contract_state ORDER BY key")
        : this.#storage.sql.exec(
            "SELECT key, value FROM contract_state WHERE key >= ? AND key < ? ORDER BY key",
            prefix,
            `${prefix.slice(0, -1)}${String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)}`,
          );
    return rows.toArray().map((row) => [row.key as string, bytes(row.value)]);
  }

  commit(changes: LedgerChanges): void {
    const { meta } = changes;
    this.#storage.transactionSync(() => {
      const sql = this.#storage.sql;
      for (const nf of changes.nullifiers) {
        sql.exec("INSERT INTO spent_nullifiers (nf, height) VALUES (?, ?)", fe(nf), meta.height);
      }
      sql.exec(
        "INSERT INTO anchors (root, height) VALUES (?, ?) ON CONFLICT (root) DO UPDATE SET height = excluded.height",
        fe(changes.anchor.root),
        changes.anchor.height,
      );
      sql.exec("DELETE FROM anchors WHERE height < ?", changes.oldestAnchorHeight);
      for (const [id, record] of changes.assets) {
        sql.exec(
          "INSERT INTO assets (id, record) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET record = excluded.record",
          fe(id),
          encodeAsset(record),
        );
      }
      for (const t of changes.tickets) {
        sql.exec("INSERT INTO tickets (asset) VALUES (?)", fe(t));
      }
      for (const [key, value] of changes.contracts) {
        if (value === null) {
          sql.exec("DELETE FROM contract_state WHERE key = ?", key);
        } else {
          sql.exec(
            "INSERT INTO contract_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            key,
            value,
          );
        }
      }
      sql.exec(
        "INSERT INTO ledger_meta (id, height, frontier, nullifier_digest, asset_digest, contract_digest, state_root) VALUES (0, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET height = excluded.height, frontier = excluded.frontier, nullifier_digest = excluded.nullifier_digest, asset_digest = excluded.asset_digest, contract_digest = excluded.contract_digest, state_root = excluded.state_root",
        meta.height,
        meta.frontier,
        meta.nullifierDigest,
        meta.assetDigest,
        meta.contractDigest,
        meta.stateRoot,
      );
    });
    this.#meta = meta;
  }
}
