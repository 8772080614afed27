/**
 * What a replica last heard from each peer: the height and view of its
 * latest signed STATUS message (sent every `statusInterval`), and when it
 * arrived. The consensus core has no clock, so the time is the shell's.
 * Memory only: after a restart the next status round refills it.
 */
import type { Status } from "../src/consensus/index.ts";

export type PeerReport = {
  readonly index: number;
  /** The peer's last committed block, as it reported it. */
  readonly height: number;
  readonly view: number;
  /** false while the peer is changing views. */
  readonly active: boolean;
  /** Milliseconds since the report arrived. */
  readonly lastSeenMs: number;
};

export class PeerReports {
  readonly #last = new Map<number, { readonly status: Status; readonly at: number }>();

  record(from: number, status: Status, now: number): void {
    this.#last.set(from, { status, at: now });
  }

  list(now: number): PeerReport[] {
    return [...this.#last.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, { status, at }]) => ({
        index,
        height: status.lastCommitted,
        view: status.view,
        active: status.active,
        lastSeenMs: Math.max(0, now - at),
      }));
  }
}
