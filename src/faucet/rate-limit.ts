/**
 * A sliding-window cap: at most `limit` events per key within `windowMs`.
 * Pure: the caller passes the time. Checking and recording are separate, so
 * a request is counted only once every check has passed (a refused or
 * malformed request costs nobody's quota).
 */
export type WindowLimit = { readonly limit: number; readonly windowMs: number };

/** Keys with no event in the window are dropped once this many are held. */
const SWEEP_AT = 10_000;

export class SlidingWindow {
  readonly rule: WindowLimit;
  readonly #events = new Map<string, number[]>();

  constructor(rule: WindowLimit) {
    if (!Number.isSafeInteger(rule.limit) || rule.limit < 1 || !(rule.windowMs > 0)) {
      throw new RangeError("a window limit is a positive count over a positive duration");
    }
    this.rule = rule;
  }

  /** Whether one more event for `key` at `now` stays within the limit. */
  allows(key: string, now: number): boolean {
    return this.#recent(key, now).length < this.rule.limit;
  }

  record(key: string, now: number): void {
    if (this.#events.size >= SWEEP_AT) {
      for (const k of [...this.#events.keys()]) {
        this.#recent(k, now);
      }
    }
    this.#events.set(key, [...this.#recent(key, now), now]);
  }

  #recent(key: string, now: number): number[] {
    const recent = (this.#events.get(key) ?? []).filter((t) => now - t < this.rule.windowMs);
    if (recent.length === 0) {
      this.#events.delete(key);
    } else {
      this.#events.set(key, recent);
    }
    return recent;
  }
}
