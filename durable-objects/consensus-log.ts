/**
 * The consensus core's persisted records (src/consensus/persist.ts) in the
 * replica's synchronous KV storage, which keeps structured-clonable values
 * (Maps, Uint8Arrays) as they are. Everything before the latest snapshot is
 * dropped when a snapshot is written.
 */
import type { PersistRecord } from "../src/consensus/index.ts";

const PREFIX = "consensus-log/";
const key = (seq: number) => `${PREFIX}${seq.toString().padStart(12, "0")}`;

export class ConsensusLog {
  readonly #kv: SyncKvStorage;
  #next: number;

  constructor(kv: SyncKvStorage) {
    this.#kv = kv;
    let last = -1;
    for (const [k] of kv.list({ prefix: PREFIX, reverse: true, limit: 1 })) {
      last = Number(k.slice(PREFIX.length));
    }
    this.#next = last + 1;
  }

  append(records: readonly PersistRecord[]): void {
    for (const record of records) {
      if (record.type === "snapshot") {
        for (const [k] of this.#kv.list({ prefix: PREFIX })) {
          this.#kv.delete(k);
        }
      }
      this.#kv.put(key(this.#next++), record);
    }
  }

  load(): PersistRecord[] {
    return [...this.#kv.list<PersistRecord>({ prefix: PREFIX })].map(([, record]) => record);
  }
}
