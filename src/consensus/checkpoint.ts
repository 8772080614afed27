/**
 * Checkpoints and garbage collection (PBFT §4.3). After delivering a block
 * whose height is a multiple of K, and once the application reports its state
 * root there, the replica multicasts ⟨CHECKPOINT, n, d, i⟩. 2f + 1 matching
 * checkpoints make n stable: the low watermark h moves to n, the log at or
 * below n is discarded, and the window (h, h + L] slides forward. The
 * replica compares the certified state root with its own (divergence.ts).
 */
import { proposeReady } from "./batching.ts";
import { checkCheckpointProof } from "./certificates.ts";
import { broadcast, type Ctx, reject, toSigned } from "./context.ts";
import { checkAtStable, checkExecuted, checkRebuilt } from "./divergence.ts";
import type { Verified } from "./envelope.ts";
import { type Digest, digestKey } from "./hash.ts";
import type { Checkpoint, Signed } from "./messages.ts";
import type { StableCheckpoint } from "./state.ts";
import { requestBlocks } from "./state-transfer.ts";

/**
 * The shell executed block `seq` and reports the application's state root there: our CHECKPOINT if the
 * height is pending, a comparison if the quorum certified it first (divergence.ts).
 */
export function onExecuted(ctx: Ctx, seq: number, stateRoot: Digest): void {
  const s = ctx.state;
  if (stateRoot.length !== 32) {
    reject(ctx, "state root must be 32 bytes");
    return;
  }
  if (s.diverged !== undefined) {
    // A diverged replica signs no CHECKPOINT: its roots are not the chain's.
    if (!checkRebuilt(ctx, seq, stateRoot)) {
      reject(ctx, "diverged: state roots are not reported");
    }
    return;
  }
  if (checkExecuted(ctx, seq, stateRoot)) {
    return;
  }
  const chainHash = s.pendingCheckpoints.get(seq);
  if (chainHash === undefined) {
    reject(ctx, "no checkpoint pending at this height");
    return;
  }
  s.pendingCheckpoints.delete(seq);
  const sealed = broadcast(ctx, { type: "checkpoint", seq, chainHash, stateRoot });
  recordVote(ctx, toSigned(sealed.envelope));
}

export function onCheckpoint(ctx: Ctx, e: Verified<Checkpoint>): void {
  const s = ctx.state;
  const m = e.message;
  if (m.seq <= s.stable.seq) {
    reject(ctx, "checkpoint at or below the stable checkpoint");
    return;
  }
  if (m.seq % ctx.env.committee.params.checkpointInterval !== 0) {
    reject(ctx, "not a checkpoint height");
    return;
  }
  if (s.checkpointVotes.get(m.seq)?.has(e.from)) {
    reject(ctx, "duplicate checkpoint");
    return;
  }
  recordVote(ctx, toSigned(e));
}

/** Votes one sender may have pending above h; beyond that its lowest is evicted (bounded memory under Byzantine senders). */
function voteCap(ctx: Ctx): number {
  const p = ctx.env.committee.params;
  return p.watermarkWindow / p.checkpointInterval + 2;
}

function recordVote(ctx: Ctx, vote: Signed<Checkpoint>): void {
  const s = ctx.state;
  let votes = s.checkpointVotes.get(vote.message.seq);
  if (votes === undefined) {
    votes = new Map();
    s.checkpointVotes.set(vote.message.seq, votes);
  }
  votes.set(vote.from, vote);
  const mine: number[] = [];
  for (const [seq, byReplica] of s.checkpointVotes) {
    if (byReplica.has(vote.from)) {
      mine.push(seq);
    }
  }
  if (mine.length > voteCap(ctx)) {
    const lowest = Math.min(...mine);
    s.checkpointVotes.get(lowest)?.delete(vote.from);
  }
  checkStable(ctx, vote.message.seq);
}

function checkStable(ctx: Ctx, seq: number): void {
  const votes = ctx.state.checkpointVotes.get(seq);
  if (votes === undefined) {
    return;
  }
  const groups = new Map<string, Signed<Checkpoint>[]>();
  for (const v of votes.values()) {
    const key = digestKey(v.message.chainHash) + digestKey(v.message.stateRoot);
    const g = groups.get(key) ?? [];
    g.push(v);
    groups.set(key, g);
  }
  for (const g of groups.values()) {
    if (checkCheckpointProof(g, ctx.env.committee) !== undefined) {
      continue;
    }
    const proof = [...g].sort((a, b) => a.from - b.from).slice(0, ctx.env.committee.quorum);
    const first = proof[0] as Signed<Checkpoint>;
    adoptStableCheckpoint(ctx, {
      seq,
      chainHash: first.message.chainHash,
      stateRoot: first.message.stateRoot,
      proof,
    });
    return;
  }
}

/**
 * Moves h to a proven stable checkpoint (from our votes, or from the C of a
 * NEW-VIEW's view changes) and discards the log below it. A replica that has
 * not delivered up to it fetches the missing blocks (PBFT §4.3: "if the
 * replica does not have the checkpoint state, it fetches it").
 */
export function adoptStableCheckpoint(ctx: Ctx, stable: StableCheckpoint): void {
  const s = ctx.state;
  const p = ctx.env.committee.params;
  if (stable.seq <= s.stable.seq) {
    return;
  }
  // Before the votes below h are discarded: our own CHECKPOINT at stable.seq is what we compare.
  checkAtStable(ctx, stable.seq, stable);
  s.stable = stable;
  for (const seq of [...s.slots.keys()]) {
    if (seq <= stable.seq) {
      s.slots.delete(seq);
    }
  }
  for (const seq of [...s.checkpointVotes.keys()]) {
    if (seq <= stable.seq) {
      s.checkpointVotes.delete(seq);
    }
  }
  for (const seq of [...s.pendingCheckpoints.keys()]) {
    if (seq <= stable.seq) {
      s.pendingCheckpoints.delete(seq);
    }
  }
  const horizon = stable.seq - p.blockRetention;
  for (const [key, seq] of s.committedRequests) {
    if (seq <= horizon) {
      s.committedRequests.delete(key);
    }
  }
  if (s.nextSeq <= stable.seq) {
    s.nextSeq = stable.seq + 1;
  }
  ctx.snapshot = true;
  if (s.lastCommitted < stable.seq) {
    const signer = stable.proof.find((c) => c.from !== s.id);
    if (signer !== undefined) {
      requestBlocks(ctx, signer.from);
    }
  }
  proposeReady(ctx, false);
}
