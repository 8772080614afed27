/**
 * Commits as a client sees them: one follower reads the indexed blocks in
 * order (GET /v1/blocks/{height}, what an explorer or a wallet's history
 * reads) and notes when each transaction first appears, instead of one poll
 * loop per transaction competing with the chain for the same cores.
 */

type BlockTxs = { transactions: { id: string; status: string; code: string | null }[] };

/** A block not indexed yet is polled again after this long: the resolution of every finality figure. */
const POLL_MS = 10;

export class CommitFollower {
  readonly #url: string;
  readonly #committedAt = new Map<string, number>();
  readonly #blockSizes: { at: number; txs: number }[] = [];
  #next = 1;
  #running = true;
  #failure: Error | undefined;
  readonly #done: Promise<void>;

  constructor(url: string) {
    this.#url = url;
    this.#done = this.#follow();
  }

  /** performance.now() when `id` was first seen committed, if it was. */
  committedAt(id: string): number | undefined {
    this.#check();
    return this.#committedAt.get(id);
  }

  /** Transactions per block of the blocks first seen in [from, to). */
  blocksBetween(from: number, to: number): number[] {
    return this.#blockSizes.filter((b) => b.at >= from && b.at < to).map((b) => b.txs);
  }

  /** Resolves once every id is committed; throws if `ms` pass first. */
  async waitFor(ids: readonly string[], ms: number): Promise<void> {
    const deadline = performance.now() + ms;
    while (ids.some((id) => this.committedAt(id) === undefined)) {
      if (performance.now() > deadline) {
        const missing = ids.filter((id) => this.#committedAt.get(id) === undefined).length;
        throw new Error(`${missing} of ${ids.length} transfers not committed after ${ms} ms`);
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#done;
  }

  #check(): void {
    if (this.#failure) {
      throw this.#failure;
    }
  }

  async #follow(): Promise<void> {
    while (this.#running) {
      try {
        const res = await fetch(`${this.#url}/v1/blocks/${this.#next}`);
        if (res.status !== 200) {
          await res.body?.cancel();
          await new Promise((r) => setTimeout(r, POLL_MS));
          continue;
        }
        const block = (await res.json()) as BlockTxs;
        const at = performance.now();
        for (const t of block.transactions) {
          if (t.status !== "committed") {
            // Every benchmark transfer is valid: a rejection means the chain (or the benchmark) is wrong.
            throw new Error(`transfer ${t.id} rejected in block ${this.#next}: ${t.code}`);
          }
          this.#committedAt.set(t.id, at);
        }
        this.#blockSizes.push({ at, txs: block.transactions.length });
        this.#next++;
      } catch (e) {
        this.#failure = e instanceof Error ? e : new Error(String(e));
        return;
      }
    }
  }
}
