/**
 * Committed blocks waiting to be written into D1, in the replica's SQLite
 * storage. A block's rows enter the outbox in the same storage turn as its
 * ledger changes and leave only once D1 has them, so a failed D1 write (an
 * outage, a lost request) is retried, in height order, with the next block or
 * after a restart: the index never keeps a gap. A block that keeps failing is
 * reported (`index_stalled`, with D1's reason) instead of freezing silently.
 */
import { type BlockRows, projectRows, type StoredBlockRows } from "../src/db/projection.ts";

/** Failed writes of one block in a row before the index counts as stalled (one failure may be a blip). */
export const STALL_AFTER_ATTEMPTS = 3;

export type ProjectionHealth =
  | { readonly state: "ok"; readonly pendingBlocks: number }
  | {
      readonly state: "index_stalled";
      readonly pendingBlocks: number;
      /** The block D1 keeps refusing. */
      readonly height: number;
      readonly attempts: number;
      readonly reason: string;
    };

type Failure = { readonly height: number; readonly attempts: number; readonly reason: string };

export class ProjectionOutbox {
  readonly #sql: SqlStorage;
  #draining: Promise<void> | undefined;
  #failure: Failure | undefined;

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

  get pendingBlocks(): number {
    return this.#sql.exec("SELECT count(*) AS n FROM projection_outbox").one().n as number;
  }

  health(): ProjectionHealth {
    const pendingBlocks = this.pendingBlocks;
    const f = this.#failure;
    return f === undefined || f.attempts < STALL_AFTER_ATTEMPTS
      ? { state: "ok", pendingBlocks }
      : { state: "index_stalled", pendingBlocks, ...f };
  }

  /** Drops every waiting block: computed on a ledger found diverged, they must never reach D1. */
  discard(): void {
    this.#sql.exec("DELETE FROM projection_outbox");
    this.#failure = undefined;
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
        const height = next.height as number;
        const attempts = this.#failure?.height === height ? this.#failure.attempts + 1 : 1;
        this.#failure = { height, attempts, reason: e instanceof Error ? e.message : String(e) };
        console.error(`D1 projection of block ${height} deferred (attempt ${attempts}):`, e);
        return;
      }
      this.#failure = undefined;
      this.#sql.exec("DELETE FROM projection_outbox WHERE height = ?", next.height);
    }
  }
}
