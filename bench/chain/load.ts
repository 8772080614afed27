/**
 * The load generator: submits transfers as wallets would (POST /v1/tx,
 * spread over the validators the clients can reach), open loop at a steady
 * offered rate, or one at a time on an idle chain. Each simulated wallet has
 * its own client address, since the API limits submissions per address
 * (wrangler.toml, SUBMIT_LIMITER) and a benchmark is many wallets, not one.
 */
import type { CommitFollower } from "./commits.ts";

/** Simulated wallets: enough that none reaches the per-address limit (2,000 a minute) below 2,000 tx/s. */
const CLIENTS = 64;

export type Submitted = { readonly id: string; readonly at: number };
export type Offered = {
  readonly submitted: Submitted[];
  /** Submissions the API refused, by error code (e.g. busy): load shed, never retried. */
  readonly refused: Map<string, number>;
  readonly from: number;
};

export class LoadGenerator {
  readonly #urls: readonly string[];
  readonly #txs: readonly Uint8Array[];
  #next = 0;

  constructor(urls: readonly string[], txs: readonly Uint8Array[]) {
    this.#urls = urls;
    this.#txs = txs;
  }

  get remaining(): number {
    return this.#txs.length - this.#next;
  }

  /** Submits the next transfer; its id and submission time, or the API's error code. */
  async submit(): Promise<Submitted | { refused: string }> {
    const k = this.#next++;
    const body = this.#txs[k] as Uint8Array;
    const client = k % CLIENTS;
    const at = performance.now();
    const res = await fetch(`${this.#urls[k % this.#urls.length]}/v1/tx`, {
      method: "POST",
      headers: { "Content-Type": "application/octet-stream", "CF-Connecting-IP": `10.0.0.${client + 1}` },
      body,
    });
    const json = (await res.json()) as { id?: string; error?: { code: string } };
    return res.status === 202 && json.id ? { id: json.id, at } : { refused: json.error?.code ?? String(res.status) };
  }

  /** Offers `rate` transfers a second for `seconds` (fewer if the transfers run out), without waiting for answers. */
  async offer(rate: number, seconds: number): Promise<Offered> {
    const count = Math.min(this.remaining, Math.round(rate * seconds));
    const from = performance.now();
    const answers: Promise<Submitted | { refused: string }>[] = [];
    for (let i = 0; i < count; i++) {
      const wait = from + (i * 1000) / rate - performance.now();
      if (wait > 0) {
        await new Promise((r) => setTimeout(r, wait));
      }
      answers.push(this.submit());
    }
    const submitted: Submitted[] = [];
    const refused = new Map<string, number>();
    for (const answer of await Promise.all(answers)) {
      if ("id" in answer) {
        submitted.push(answer);
      } else {
        refused.set(answer.refused, (refused.get(answer.refused) ?? 0) + 1);
      }
    }
    return { submitted, refused, from };
  }

  /** Finality of `count` transfers sent one at a time, each after the previous one committed. */
  async oneAtATime(count: number, commits: CommitFollower): Promise<number[]> {
    const finality: number[] = [];
    for (let i = 0; i < count && this.remaining > 0; i++) {
      const answer = await this.submit();
      if (!("id" in answer)) {
        throw new Error(`an idle chain refused a transfer: ${answer.refused}`);
      }
      await commits.waitFor([answer.id], 60_000);
      finality.push((commits.committedAt(answer.id) as number) - answer.at);
    }
    return finality;
  }
}

/** Finality (submit → seen committed) of each submitted transfer, in ms; all must have committed. */
export function finalities(submitted: readonly Submitted[], commits: CommitFollower): number[] {
  return submitted.map(({ id, at }) => (commits.committedAt(id) as number) - at);
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}
