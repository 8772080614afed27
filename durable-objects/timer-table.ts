/**
 * The consensus core's timers on the one alarm a Durable Object has
 * (ARCHITECTURE.md §2.2): a table of armed timers with their due times,
 * the alarm set to the earliest. Events are `{kind, view, seq}`; the core
 * drops stale ones, so a late alarm is harmless.
 */
import type { ArmedTimer, TimerCommand, TimerEvent, TimerKind } from "../src/consensus/index.ts";

type Due = TimerEvent & { readonly due: number };

const PREFIX = "timer/";

export class TimerTable {
  readonly #storage: DurableObjectStorage;

  constructor(storage: DurableObjectStorage) {
    this.#storage = storage;
  }

  /**
   * Applies the core's commands at time `now` (ms) and re-arms the alarm. Most
   * steps change no timer: the alarm is then already right, and listing the
   * table and setting the alarm again was a per-step cost (a profile's 3.4%).
   */
  async apply(commands: readonly TimerCommand[], now: number): Promise<void> {
    if (commands.length === 0) {
      return;
    }
    for (const c of commands) {
      if (c.op === "set") {
        this.#set(c.timer, now);
      } else {
        this.#storage.kv.delete(PREFIX + c.kind);
      }
    }
    await this.#arm();
  }

  /** Replaces the whole table (after a restore). */
  async reset(timers: readonly ArmedTimer[], now: number): Promise<void> {
    for (const [k] of this.#storage.kv.list({ prefix: PREFIX })) {
      this.#storage.kv.delete(k);
    }
    for (const t of timers) {
      this.#set(t, now);
    }
    await this.#arm();
  }

  /** Sets the alarm to the earliest timer left: after `takeDue`, which consumed the alarm that fired. */
  rearm(): Promise<void> {
    return this.#arm();
  }

  /** Removes and returns the timers due at `now`, earliest first; `rearm` after stepping them. */
  takeDue(now: number): TimerEvent[] {
    const due = [...this.#storage.kv.list<Due>({ prefix: PREFIX })]
      .map(([, t]) => t)
      .filter((t) => t.due <= now)
      .sort((a, b) => a.due - b.due);
    for (const t of due) {
      this.#storage.kv.delete(PREFIX + t.kind);
    }
    return due.map(({ kind, view, seq }) => ({ kind, view, seq }));
  }

  #set(timer: ArmedTimer, now: number): void {
    const kind: TimerKind = timer.kind;
    this.#storage.kv.put<Due>(PREFIX + kind, { kind, view: timer.view, seq: timer.seq, due: now + timer.after });
  }

  async #arm(): Promise<void> {
    let earliest = Number.POSITIVE_INFINITY;
    for (const [, t] of this.#storage.kv.list<Due>({ prefix: PREFIX })) {
      earliest = Math.min(earliest, t.due);
    }
    if (Number.isFinite(earliest)) {
      await this.#storage.setAlarm(earliest);
    } else {
      await this.#storage.deleteAlarm();
    }
  }
}
