/**
 * Who is primary in a view. PBFT §4.1 fixes p = v mod |R| (round-robin); SERO's
 * planned SE-Random draws the primary of each view from a verifiable random
 * source instead. Every replica must compute the same answer from the view
 * alone, so the selector is a pure function of the view; a random-beacon
 * selector implements this interface over its (committed) beacon outputs.
 */
import type { ReplicaId } from "./committee.ts";

export interface PrimarySelector {
  primary(view: number): ReplicaId;
}

export function roundRobin(n: number): PrimarySelector {
  return { primary: (view) => view % n };
}
