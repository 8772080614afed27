/**
 * Recovery of a diverged replica (OPERATING.md "Diverged replica",
 * CONSENSUS.md §3.9): its ledger is rebuilt from genesis by re-executing the
 * certified blocks 1..n, n the checkpoint where it diverged. Those blocks are
 * the quorum's: the replica's chain hash at n matched the one 2f + 1 replicas
 * certified, and the chain hash commits to every block below it. So the only
 * thing recovery needs is "the certified blocks from height 1", from any
 * source that holds them (`blockAt`); today that is the blocks the consensus
 * core retains (`blockRetention`), which every replica keeps for the same
 * heights, so no peer could offer older ones either.
 */
import type { CommittedBlock, Divergence } from "../src/consensus/index.ts";

export type RebuildPlan =
  | { readonly ok: true; readonly blocks: readonly CommittedBlock[] }
  | { readonly ok: false; readonly why: string };

/** The blocks to re-execute after genesis to reach the diverged height, or why there are none. */
export function rebuildPlan(d: Divergence, blockAt: (seq: number) => CommittedBlock | undefined): RebuildPlan {
  if (d.field === "chainHash") {
    return {
      ok: false,
      why:
        `the blocks this replica delivered up to ${d.seq} are not the quorum's: ` +
        "it cannot rebuild from them; wipe its storage so it rejoins from genesis",
    };
  }
  const blocks: CommittedBlock[] = [];
  for (let seq = 1; seq <= d.seq; seq++) {
    const block = blockAt(seq);
    if (block === undefined) {
      let last = seq;
      while (last < d.seq && blockAt(last + 1) === undefined) {
        last++;
      }
      return {
        ok: false,
        why: `needs blocks ${seq}..${last}, older than any replica at this height retains (blockRetention)`,
      };
    }
    blocks.push(block);
  }
  return { ok: true, blocks };
}
