/**
 * State-root agreement at checkpoints (CONSENSUS.md §3.9). A stable checkpoint
 * is what 2f + 1 replicas certified at height n: the chain hash of the blocks
 * up to n and the ledger's state root after them. A replica whose own chain
 * hash or state root at n differs has diverged: deterministic execution of the
 * same blocks should not give another root, so its ledger is wrong (a bug,
 * corrupted storage). It records the divergence instead of throwing, stops
 * signing CHECKPOINTs, and leaves the rest to the shell, which stops executing
 * and serving from its ledger. Ordering (PRE-PREPARE, PREPARE, COMMIT) does not
 * depend on the ledger, so the replica keeps taking part in it: the others'
 * quorums never need its votes, and its votes cannot make them commit anything
 * 2f + 1 replicas did not agree to.
 */
import type { Ctx } from "./context.ts";
import { type Digest, digestsEqual } from "./hash.ts";
import type { CertifiedState, Divergence } from "./state.ts";

/** At most this many certified checkpoints wait for the replica to execute their height; the lowest goes first. */
function aheadCap(ctx: Ctx): number {
  const p = ctx.env.committee.params;
  return p.watermarkWindow / p.checkpointInterval + 2;
}

/** The first contradiction is kept: it names the height an operator looks at. */
function diverge(ctx: Ctx, d: Divergence): void {
  ctx.state.diverged ??= d;
}

/** Compares what we know of height `seq` with the quorum's certificate; records a divergence. */
function compare(
  ctx: Ctx,
  seq: number,
  own: { readonly chainHash: Digest | undefined; readonly stateRoot: Digest | undefined },
  certified: CertifiedState,
): void {
  if (own.chainHash !== undefined && !digestsEqual(own.chainHash, certified.chainHash)) {
    diverge(ctx, { seq, field: "chainHash", own: own.chainHash, certified: certified.chainHash });
  } else if (own.stateRoot !== undefined && !digestsEqual(own.stateRoot, certified.stateRoot)) {
    diverge(ctx, { seq, field: "stateRoot", own: own.stateRoot, certified: certified.stateRoot });
  }
}

/**
 * A checkpoint at `seq` became stable. If our ledger already reported its root there, our own CHECKPOINT
 * holds it; if we have not executed `seq` yet (behind, or the ledger is still running the block), the
 * certificate waits in `certifiedAhead` until the `executed` input for `seq` arrives.
 */
export function checkAtStable(ctx: Ctx, seq: number, certified: CertifiedState): void {
  const s = ctx.state;
  const ownVote = s.checkpointVotes.get(seq)?.get(s.id)?.message;
  compare(
    ctx,
    seq,
    { chainHash: s.chain.get(seq)?.chainHash ?? ownVote?.chainHash, stateRoot: ownVote?.stateRoot },
    certified,
  );
  if (ownVote !== undefined || (seq <= s.lastCommitted && !s.pendingCheckpoints.has(seq))) {
    return;
  }
  // Only the two digests: the caller may hand a whole stable checkpoint, proof included.
  s.certifiedAhead.set(seq, { chainHash: certified.chainHash, stateRoot: certified.stateRoot });
  if (s.certifiedAhead.size > aheadCap(ctx)) {
    s.certifiedAhead.delete(Math.min(...s.certifiedAhead.keys()));
  }
}

/**
 * The ledger reported its root at `seq`: compare it with a certificate that was waiting for it. Returns
 * whether the input was consumed this way.
 */
export function checkExecuted(ctx: Ctx, seq: number, stateRoot: Digest): boolean {
  const s = ctx.state;
  const certified = s.certifiedAhead.get(seq);
  if (certified === undefined) {
    return false;
  }
  s.certifiedAhead.delete(seq);
  compare(ctx, seq, { chainHash: s.chain.get(seq)?.chainHash, stateRoot }, certified);
  return true;
}

/**
 * While diverged, the only root that matters is the certified one at the divergence: a ledger rebuilt from
 * genesis (OPERATING.md "Diverged replica") that reports it there agrees with the quorum again.
 */
export function checkRebuilt(ctx: Ctx, seq: number, stateRoot: Digest): boolean {
  const d = ctx.state.diverged;
  if (d === undefined || d.field !== "stateRoot" || d.seq !== seq || !digestsEqual(d.certified, stateRoot)) {
    return false;
  }
  ctx.state.diverged = undefined;
  return true;
}
