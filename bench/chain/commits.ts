/**
 * Commits as a client sees them: one follower lists the newly indexed blocks
 * (GET /v1/blocks?from=, what an explorer reads), reads the transactions of
 * those that have any (GET /v1/blocks/{height}, all at once) and notes each
 * transaction as committed when its block was first listed. One listing per
 * poll, not one request per block in turn: a follower reading blocks one by
 * one falls behind a loaded chain cutting many small blocks, and would charge
 * its own lag to the chain's finality.
 */

type BlockSummary = { height: number; txCount: number };
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
        const listed = await this.#json<{ blocks: BlockSummary[] }>(`/v1/blocks?from=${this.#next}&limit=100`);
        if (listed.blocks.length === 0) {
          await new Promise((r) => setTimeout(r, POLL_MS));
          continue;
        }
        const at = performance.now();
        const bodies = await Promise.all(
          listed.blocks.map((b) =>
            b.txCount > 0 ? this.#json<BlockTxs>(`/v1/blocks/${b.height}`) : { transactions: [] },
          ),
        );
        for (const [i, block] of bodies.entries()) {
          const height = (listed.blocks[i] as BlockSummary).height;
          for (const t of block.transactions) {
            if (t.status !== "committed") {
              // Every benchmark transfer is valid: a rejection means the chain (or the benchmark) is wrong.
              throw new Error(`transfer ${t.id} rejected in block ${height}: ${t.code}`);
            }
            this.#committedAt.set(t.id, at);
          }
          this.#blockSizes.push({ at, txs: block.transactions.length });
          this.#next = height + 1;
        }
      } catch (e) {
        this.#failure = e instanceof Error ? e : new Error(String(e));
        return;
      }
    }
  }

  async #json<T>(path: string): Promise<T> {
    const res = await fetch(`${this.#url}${path}`);
    if (res.status !== 200) {
      throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
    }
    return (await res.json()) as T;
  }
}
