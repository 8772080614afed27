/**
 * Submissions that arrive together are admitted together, so their proofs are
 * verified in one batch (PROTOCOL.md §8.10). `submit` queues an item; the first
 * item of a batch schedules `gather` (one macrotask in a replica), after which
 * every queued item goes to `admit` as one batch. Each submission carries its
 * own `settle`, so a verdict can only reach the item it was computed for.
 * Items arriving while a batch is being admitted start the next batch; batches
 * may overlap, so `admit` must recheck state after its awaits. A submission
 * `admit` leaves unsettled, or a failing `admit`, rejects its caller.
 *
 * What waits is bounded in bytes (docs/ARCHITECTURE.md §2.13): past the
 * bound, a submission is answered `refuse(item)` at once, before it holds any
 * memory, until earlier ones are settled.
 */

export type Submission<I, V> = {
  readonly item: I;
  /** The first call wins; later ones are ignored. */
  settle(verdict: V): void;
};

/** How much the submissions not yet settled may hold, and the answer once they hold that much. */
export type BatcherBound<I, V> = {
  readonly maxBytes: number;
  readonly sizeOf: (item: I) => number;
  readonly refuse: (item: I) => V;
};

type Waiting<I, V> = {
  readonly item: I;
  readonly resolve: (verdict: V) => void;
  readonly reject: (error: unknown) => void;
};

export class AdmissionBatcher<I, V> {
  readonly #admit: (batch: readonly Submission<I, V>[]) => Promise<void>;
  readonly #gather: () => Promise<void>;
  readonly #bound: BatcherBound<I, V> | undefined;
  #waiting: Waiting<I, V>[] = [];
  /** Bytes of the submissions not settled yet, waiting or being admitted. */
  #held = 0;

  constructor(
    admit: (batch: readonly Submission<I, V>[]) => Promise<void>,
    gather: () => Promise<void>,
    bound?: BatcherBound<I, V>,
  ) {
    this.#admit = admit;
    this.#gather = gather;
    this.#bound = bound;
  }

  /** Bytes held by submissions not settled yet. */
  get heldBytes(): number {
    return this.#held;
  }

  submit(item: I): Promise<V> {
    const size = this.#bound?.sizeOf(item) ?? 0;
    if (this.#bound !== undefined && this.#held + size > this.#bound.maxBytes) {
      return Promise.resolve(this.#bound.refuse(item));
    }
    this.#held += size;
    const settled = new Promise<V>((resolve, reject) => {
      this.#waiting.push({ item, resolve, reject });
      if (this.#waiting.length === 1) {
        void this.#run();
      }
    });
    const release = () => {
      this.#held -= size;
    };
    settled.then(release, release);
    return settled;
  }

  async #run(): Promise<void> {
    await this.#gather();
    const batch = this.#waiting;
    this.#waiting = [];
    const open = new Set(batch);
    const submissions = batch.map(
      (w): Submission<I, V> => ({
        item: w.item,
        settle: (verdict) => {
          if (open.delete(w)) {
            w.resolve(verdict);
          }
        },
      }),
    );
    let failure: unknown = new Error("admission ended without a verdict");
    try {
      await this.#admit(submissions);
    } catch (e) {
      failure = e;
    }
    for (const w of open) {
      w.reject(failure);
    }
  }
}
