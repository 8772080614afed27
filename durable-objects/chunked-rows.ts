/**
 * Values of any size in one SQLite table, split into parts of at most
 * `PART_BYTES`, one row each: a Durable Object refuses a string, BLOB or row
 * above 2 MB (SQLITE_TOOBIG), so nothing is ever written as one unbounded
 * value (CONSENSUS.md §3.7). Callers group writes in `transactionSync`, so a
 * value is stored whole or not at all.
 */
import { decodeStored, encodeStored } from "./stored-value.ts";

/** Below the platform's 2 MB per row, leaving room for the key columns. */
export const PART_BYTES = 1 << 20;

export class ChunkedRows {
  readonly #sql: SqlStorage;
  readonly #table: string;

  constructor(sql: SqlStorage, table: string) {
    this.#sql = sql;
    this.#table = table;
    sql.exec(
      `CREATE TABLE IF NOT EXISTS ${table} (id INTEGER NOT NULL, part INTEGER NOT NULL, bytes BLOB NOT NULL, PRIMARY KEY (id, part))`,
    );
  }

  /** Stores `value` under `id`, replacing what was there. */
  put(id: number, value: unknown): void {
    const bytes = encodeStored(value);
    this.#sql.exec(`DELETE FROM ${this.#table} WHERE id = ?`, id);
    for (let part = 0, at = 0; at < bytes.length || part === 0; part++, at += PART_BYTES) {
      this.#sql.exec(
        `INSERT INTO ${this.#table} (id, part, bytes) VALUES (?, ?, ?)`,
        id,
        part,
        bytes.subarray(at, at + PART_BYTES),
      );
    }
  }

  get(id: number): unknown {
    return this.#assemble(
      this.#sql.exec(`SELECT id, part, bytes FROM ${this.#table} WHERE id = ? ORDER BY part`, id),
    )[0]?.value;
  }

  /** The values with `from <= id <= to`, in id order. */
  range(from: number, to: number): { id: number; value: unknown }[] {
    return this.#assemble(
      this.#sql.exec(`SELECT id, part, bytes FROM ${this.#table} WHERE id BETWEEN ? AND ? ORDER BY id, part`, from, to),
    );
  }

  /** The highest id stored, or -1. */
  last(): number {
    const row = this.#sql.exec(`SELECT MAX(id) AS id FROM ${this.#table}`).toArray()[0];
    return typeof row?.id === "number" ? row.id : -1;
  }

  deleteBelow(id: number): void {
    this.#sql.exec(`DELETE FROM ${this.#table} WHERE id < ?`, id);
  }

  #assemble(cursor: Iterable<Record<string, SqlStorageValue>>): { id: number; value: unknown }[] {
    const out: { id: number; value: unknown }[] = [];
    let id = -1;
    let parts: Uint8Array[] = [];
    const flush = () => {
      if (parts.length > 0) {
        out.push({ id, value: decodeStored(concat(parts)) });
      }
    };
    for (const row of cursor) {
      const rowId = row.id as number;
      if (rowId !== id) {
        flush();
        id = rowId;
        parts = [];
      }
      if (row.part !== parts.length) {
        throw new Error(`${this.#table} ${id}: part ${row.part} out of order`);
      }
      parts.push(new Uint8Array(row.bytes as ArrayBuffer));
    }
    flush();
    return out;
  }
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) {
    return parts[0] as Uint8Array;
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
