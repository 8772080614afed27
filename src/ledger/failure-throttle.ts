/**
 * Throttles the sources whose submissions fail their proof or signature
 * check. Checking a forgery costs a replica a Groth16 verification (or a
 * signature check) that the forger made for free, so each source has a small
 * budget of failures, refilled slowly; a source that has spent it is refused
 * (`throttled`) before any check runs, until the budget refills. Sources whose
 * proofs pass never spend from it, so they are limited only by the API's
 * ordinary rate limit (docs/ARCHITECTURE.md §2.13). Pure: the caller passes
 * the time.
 */

export type FailureThrottleOptions = {
  /** Failures a source may make in a burst. */
  readonly burst: number;
  /** Milliseconds for one failure to be forgiven. */
  readonly refillMs: number;
  /** Sources remembered at most; beyond that the least recently failing is forgotten. */
  readonly maxSources: number;
};

export const DEFAULT_FAILURE_THROTTLE: FailureThrottleOptions = { burst: 8, refillMs: 5_000, maxSources: 10_000 };

type Budget = { tokens: number; at: number };

export class FailureThrottle {
  readonly #options: FailureThrottleOptions;
  /** Insertion-ordered: the first entry failed least recently. */
  readonly #budgets = new Map<string, Budget>();

  constructor(options: FailureThrottleOptions = DEFAULT_FAILURE_THROTTLE) {
    this.#options = options;
  }

  /** Whether `source` may still be checked at `now`. */
  allows(source: string, now: number): boolean {
    const budget = this.#budgets.get(source);
    return budget === undefined || this.#refilled(budget, now) >= 1;
  }

  /** Records a failed proof or signature check by `source` at `now`. */
  recordFailure(source: string, now: number): void {
    const budget = this.#budgets.get(source);
    const tokens = budget === undefined ? this.#options.burst : this.#refilled(budget, now);
    this.#budgets.delete(source);
    this.#budgets.set(source, { tokens: Math.max(0, tokens - 1), at: now });
    if (this.#budgets.size > this.#options.maxSources) {
      this.#budgets.delete(this.#budgets.keys().next().value as string);
    }
  }

  #refilled(budget: Budget, now: number): number {
    const elapsed = Math.max(0, now - budget.at);
    return Math.min(this.#options.burst, budget.tokens + elapsed / this.#options.refillMs);
  }
}
