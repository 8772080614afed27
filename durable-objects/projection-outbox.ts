/**
 * Committed blocks waiting to be written into D1, in the replica's SQLite
 * storage. A block's rows enter the outbox in the same storage turn as its
 * ledger changes and leave only once D1 has them, so a failed D1 write (an
 * outage, a lost request) is retried, in height order, with the next block or
 * after a restart: the index never keeps a gap.
 */
import { type BlockRows, projectRows, type StoredBlockRows } from "../src/db/projection.ts";

export class ProjectionOutbox {
  readonly #sql: SqlStorage;
  #draining: Promise<void> | undefined;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
    sql.exec("CREATE TABLE IF NOT EXISTS projection_outbox (height INTEGER PRIMARY KEY, rows TEXT NOT NULL)");
  }

  add(rows: BlockRows): void {
    this.#sql.exec(
      "INSERT OR IGNORE INTO projection_outbox (height, rows) VALUES (?, ?)",
      rows.block.height,
      JSON.stringify(rows),
    );
  }

  /** Drops every waiting block: computed on a ledger found diverged, they must never reach D1. */
  discard(): void {
    this.#sql.exec("DELETE FROM projection_outbox");
  }

  /** Writes the waiting blocks in height order; stops at the first failure and keeps the rest for later. */
  drain(db: D1Database): Promise<void> {
    this.#draining ??= this.#drain(db).finally(() => {
      this.#draining = undefined;
    });
    return this.#draining;
  }

  async #drain(db: D1Database): Promise<void> {
    for (;;) {
      const next = this.#sql.exec("SELECT height, rows FROM projection_outbox ORDER BY height LIMIT 1").toArray()[0];
      if (!next) {
        return;
      }
      try {
        // Entries written by an older version may lack newer fields; projectRows tolerates that.
        await projectRows(db, JSON.parse(next.rows as string) as StoredBlockRows);
      } catch (e) {
        console.error(`D1 projection of block ${next.height} deferred:`, e);
        return;
      }
      this.#sql.exec("DELETE FROM projection_outbox WHERE height = ?", next.height);
    }
  }
}
