/**
 * What became of recent transactions this replica saw (PROTOCOL.md §8.10):
 * committed or rejected in a block, or dropped from the pool with a reason
 * (`expired`, `evicted`, `nullifier_spent`, ...). Bounded: the oldest record
 * goes first. Replays are answered from it, and `GET /v1/tx/{id}` reports
 * drops from it (committed and rejected ones are served from the index).
 */
import { toHex } from "../codec/bytes.ts";
import type { TxId } from "../protocol/tx/hashes.ts";

export type TxOutcome =
  | { readonly status: "committed"; readonly height: number }
  | { readonly status: "rejected"; readonly height: number; readonly code: string }
  | { readonly status: "dropped"; readonly height: number; readonly code: string };

export class TxOutcomes {
  readonly #capacity: number;
  readonly #outcomes = new Map<string, TxOutcome>();

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get(id: TxId): TxOutcome | undefined {
    return this.#outcomes.get(toHex(id));
  }

  /** A block's verdict: final. */
  settle(id: TxId, outcome: Extract<TxOutcome, { status: "committed" | "rejected" }>): void {
    this.#set(toHex(id), outcome);
  }

  /**
   * A drop from the pool. It replaces an earlier drop (the transaction may be
   * submitted again), never a block's verdict on the same id.
   */
  drop(id: TxId, height: number, code: string): void {
    const key = toHex(id);
    if ((this.#outcomes.get(key)?.status ?? "dropped") === "dropped") {
      this.#set(key, { status: "dropped", height, code });
    }
  }

  #set(key: string, outcome: TxOutcome): void {
    this.#outcomes.delete(key);
    this.#outcomes.set(key, outcome);
    for (const oldest of this.#outcomes.keys()) {
      if (this.#outcomes.size <= this.#capacity) {
        break;
      }
      this.#outcomes.delete(oldest);
    }
  }
}
