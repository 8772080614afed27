/**
 * Committed blocks (batch, commit certificate, view, digest, chain hash), one
 * value per height in the replica's SQLite storage, split into rows below the
 * row limit. The consensus core keeps only block headers; the bodies live
 * here for good: they re-deliver blocks to the ledger after a restart, serve
 * state transfer to peers (FETCH-BLOCKS) and are the chain's history
 * (CONSENSUS.md §3.7). Beside them, the ledger's state root after each
 * checkpoint block it executed, for checkpoints the core asks for again after
 * a restart.
 */
import type { CommittedBlock, Digest } from "../src/consensus/index.ts";
import { ChunkedRows } from "./chunked-rows.ts";

export class BlockStore {
  readonly #sql: SqlStorage;
  readonly #blocks: ChunkedRows;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
    this.#blocks = new ChunkedRows(sql, "consensus_blocks");
    sql.exec("CREATE TABLE IF NOT EXISTS checkpoint_roots (seq INTEGER PRIMARY KEY, state_root BLOB NOT NULL)");
  }

  /**
   * Stores newly committed blocks; call in the transaction that persists the step that delivered
   * them. A height already stored with another digest means this replica's history forked: throw.
   */
  put(blocks: readonly CommittedBlock[]): void {
    for (const block of blocks) {
      const stored = this.get(block.seq);
      if (stored === undefined) {
        this.#blocks.put(block.seq, block);
      } else if (!sameDigest(stored.digest, block.digest)) {
        throw new Error(`block store: block ${block.seq} committed again with another digest`);
      }
    }
  }

  get(seq: number): CommittedBlock | undefined {
    return this.#blocks.get(seq) as CommittedBlock | undefined;
  }

  /** Consecutive stored blocks from `fromSeq` up to `toSeq` (stops at the first missing height). */
  range(fromSeq: number, toSeq: number): CommittedBlock[] {
    const out: CommittedBlock[] = [];
    for (const { id, value } of this.#blocks.range(fromSeq, toSeq)) {
      if (id !== fromSeq + out.length) {
        break;
      }
      out.push(value as CommittedBlock);
    }
    return out;
  }

  /** The highest stored height, or 0. */
  top(): number {
    return Math.max(0, this.#blocks.last());
  }

  /** Call in the transaction that commits the block's ledger changes. */
  recordStateRoot(seq: number, stateRoot: Digest): void {
    this.#sql.exec(
      "INSERT INTO checkpoint_roots (seq, state_root) VALUES (?, ?) ON CONFLICT (seq) DO UPDATE SET state_root = excluded.state_root",
      seq,
      stateRoot,
    );
  }

  stateRoot(seq: number): Digest | undefined {
    const row = this.#sql.exec("SELECT state_root FROM checkpoint_roots WHERE seq = ?", seq).toArray()[0];
    return row === undefined ? undefined : new Uint8Array(row.state_root as ArrayBuffer);
  }
}

function sameDigest(a: Digest, b: Digest): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
