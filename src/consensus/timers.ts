/**
 * Time is an input (ARCHITECTURE.md §2.2). The core never reads a clock:
 * it asks the shell to arm timers and receives `{kind, view, seq}` events.
 * At most one timer per kind is armed; an event that does not match the armed
 * timer of its kind is stale and dropped.
 *
 *   batch        primary: close a partial batch (PBFT §5.1 batching)
 *   view         backup waiting for a request/batch to commit (PBFT §4.5.2)
 *   view-change  waiting for NEW-VIEW after 2f + 1 VIEW-CHANGEs (PBFT §4.5.2)
 *   status       periodic status broadcast driving retransmission (PBFT §5.2)
 */
export type TimerKind = "batch" | "view" | "view-change" | "status";

export const TIMER_KINDS: readonly TimerKind[] = ["batch", "view", "view-change", "status"];

export interface TimerEvent {
  readonly kind: TimerKind;
  readonly view: number;
  readonly seq: number;
}

export interface ArmedTimer extends TimerEvent {
  /** Fire this many time units after the step that armed it. */
  readonly after: number;
}

export type TimerCommand =
  | { readonly op: "set"; readonly timer: ArmedTimer }
  | { readonly op: "cancel"; readonly kind: TimerKind };

export function sameTimer(a: TimerEvent, b: TimerEvent): boolean {
  return a.kind === b.kind && a.view === b.view && a.seq === b.seq;
}

/** PBFT §4.5.2: wait T, then 2T, 4T, ... for consecutive view changes, capped. */
export function viewTimeout(base: number, max: number, attempts: number): number {
  return Math.min(max, base * 2 ** Math.min(attempts, 30));
}
