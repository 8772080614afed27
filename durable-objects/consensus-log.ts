/**
 * The consensus core's persisted records (src/consensus/persist.ts) in the
 * replica's SQLite storage, each encoded and split into rows below the row
 * limit (chunked-rows.ts). A snapshot replaces every record before it in the
 * same transaction, so a failed write leaves the previous snapshot and its
 * inputs as they were (CONSENSUS.md §3.7).
 */
import type { PersistRecord } from "../src/consensus/index.ts";
import { ChunkedRows } from "./chunked-rows.ts";

export class ConsensusLog {
  readonly #storage: DurableObjectStorage;
  readonly #rows: ChunkedRows;
  /**
   * The id the next record takes, known after a write: reading the highest id
   * again before every write was a query per step. `undefined` until read, and
   * again after a write that threw. A write rolled back by the caller's
   * transaction leaves a gap, which is harmless: ids need only increase.
   */
  #next: number | undefined;

  constructor(storage: DurableObjectStorage) {
    this.#storage = storage;
    this.#rows = new ChunkedRows(storage.sql, "consensus_log");
  }

  /** All or nothing; joins the caller's transaction when there is one (the block writes of the same step). */
  append(records: readonly PersistRecord[]): void {
    if (records.length === 0) {
      return;
    }
    const first = this.#next ?? this.#rows.last() + 1;
    this.#next = undefined;
    this.#storage.transactionSync(() => {
      for (const [i, record] of records.entries()) {
        this.#rows.put(first + i, record);
        if (record.type === "snapshot") {
          this.#rows.deleteBelow(first + i);
        }
      }
    });
    this.#next = first + records.length;
  }

  load(): PersistRecord[] {
    return this.#rows.range(0, Number.MAX_SAFE_INTEGER).map((r) => r.value as PersistRecord);
  }
}
