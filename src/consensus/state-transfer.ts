/**
 * Retransmission and state transfer.
 *
 * PBFT assumes messages are retransmitted until received; its implementation
 * (TOCS §5.2) does it with periodic status messages that tell peers what the
 * sender has, so they resend what it lacks. Here every replica multicasts
 * STATUS each status period; a peer that sees it behind retransmits
 *   - its stable checkpoint proof (2f + 1 signed CHECKPOINTs),
 *   - the NEW-VIEW that started its view, or its own VIEW-CHANGE,
 * and a replica that sees a peer ahead while it made no progress for a whole
 * round fetches the missing committed blocks (FETCH-BLOCKS), each proven by a
 * commit certificate (2f + 1 COMMITs), and delivers them in order. This is
 * PBFT §4.3/§5.3 state transfer reduced to block replay: the application
 * re-executes the blocks instead of copying state partitions.
 */
import type { Batch } from "./batch.ts";
import { proposeReady } from "./batching.ts";
import { checkCommitCertificate } from "./certificates.ts";
import type { ReplicaId } from "./committee.ts";
import { broadcast, type Ctx, forward, isPrimary, reject, sendTo } from "./context.ts";
import { deliverBlock, deliverReady } from "./delivery.ts";
import type { Verified } from "./envelope.ts";
import type { Blocks, Commit, FetchBlocks, Signed, Status } from "./messages.ts";

/** Requests re-forwarded per status round at most (bounded bandwidth after a partition heals). */
const REFORWARD_PER_ROUND = 256;

/** The status timer fired: multicast STATUS, note whether we progressed, re-forward requests stuck in the pool. */
export function onStatusTick(ctx: Ctx): void {
  const s = ctx.state;
  s.statusRound++;
  s.stalled = s.lastCommitted === s.progressMark;
  s.progressMark = s.lastCommitted;
  broadcast(ctx, {
    type: "status",
    view: s.view,
    active: s.active,
    lastCommitted: s.lastCommitted,
    stableSeq: s.stable.seq,
  });
  if (s.stalled && s.active) {
    retransmitInFlight(ctx);
  }
  // A request pending for two full rounds may have missed the primary (loss, partition, restart
  // between persisting and relaying it): relay it again, like a PBFT client retransmitting to all.
  if (s.active && isPrimary(ctx)) {
    return;
  }
  let sent = 0;
  for (const entry of s.pool.values()) {
    if (sent >= REFORWARD_PER_ROUND) {
      break;
    }
    if (entry.round <= s.statusRound - 2) {
      entry.round = s.statusRound;
      broadcast(ctx, { type: "request", request: entry.request });
      sent++;
    }
  }
}

/**
 * No block was delivered for a whole round while batches are in flight in this view: messages may
 * have been lost. Re-send our part of each unfinished instance - the primary its PRE-PREPARE (with
 * the batch), a backup its PREPARE and COMMIT - so the instance completes without a view change.
 */
function retransmitInFlight(ctx: Ctx): void {
  const s = ctx.state;
  const primary = isPrimary(ctx);
  for (const slot of s.slots.values()) {
    if (slot.view !== s.view || slot.commit !== undefined || slot.prePrepare === undefined) {
      continue;
    }
    if (primary) {
      forward(ctx, "others", { ...slot.prePrepare.signed, batches: [slot.prePrepare.batch] });
    } else {
      const prepare = slot.prepares.get(s.id);
      if (prepare !== undefined) {
        forward(ctx, "others", prepare);
      }
    }
    const commit = slot.commits.get(s.id);
    if (commit !== undefined) {
      forward(ctx, "others", commit);
    }
  }
}

export function onStatus(ctx: Ctx, e: Verified<Status>): void {
  const s = ctx.state;
  const m = e.message;
  let changed = false;
  const l = ctx.env.committee.params.watermarkWindow;
  if (m.lastCommitted > s.lastCommitted && s.fetchRound !== s.statusRound) {
    if (s.stalled || m.lastCommitted > s.lastCommitted + l) {
      requestBlocks(ctx, e.from);
      changed = true;
    }
  }
  if (m.stableSeq < s.stable.seq) {
    for (const c of s.stable.proof) {
      if (c.from !== e.from) {
        forward(ctx, e.from, c);
      }
    }
  }
  const peerBehindOurView = m.view < s.view || (m.view === s.view && !m.active);
  if (s.active && s.newView !== undefined && peerBehindOurView) {
    forward(ctx, e.from, s.newView);
  }
  if (!s.active && s.ownViewChange !== undefined && peerBehindOurView) {
    forward(ctx, e.from, s.ownViewChange);
  }
  if (!changed) {
    reject(ctx, "status: nothing to record");
  }
}

/** Ask `peer` for the blocks after our last delivered one (at most one request per status round, plus chained ones). */
export function requestBlocks(ctx: Ctx, peer: ReplicaId): void {
  const s = ctx.state;
  if (peer === s.id) {
    return;
  }
  s.fetchRound = s.statusRound;
  const fromSeq = s.lastCommitted + 1;
  sendTo(ctx, peer, {
    type: "fetch-blocks",
    fromSeq,
    toSeq: fromSeq + ctx.env.committee.params.maxBlocksPerResponse - 1,
  });
}

/**
 * A peer asks for committed blocks: the shell answers from its block store (`serve`, then
 * `ReplicaCore.blocksReply`), since the core keeps no block bodies. Changes no state.
 */
export function onFetchBlocks(ctx: Ctx, e: Verified<FetchBlocks>): void {
  const m = e.message;
  const toSeq = Math.min(
    m.toSeq,
    ctx.state.lastCommitted,
    m.fromSeq + ctx.env.committee.params.maxBlocksPerResponse - 1,
  );
  if (toSeq >= m.fromSeq) {
    ctx.serve.push({ to: e.from, fromSeq: m.fromSeq, toSeq });
  }
  reject(ctx, "fetch served (no state change)");
}

/** Deliver fetched blocks that extend our chain; each must carry 2f + 1 commits for its digest. */
export function onBlocks(ctx: Ctx, e: Verified<Blocks>): void {
  const s = ctx.state;
  let delivered = 0;
  e.message.certificates.forEach((cert, i) => {
    const first = (cert[0] as Signed<Commit>).message;
    if (first.seq !== s.lastCommitted + 1) {
      return;
    }
    if (checkCommitCertificate(cert, ctx.env.committee) !== undefined) {
      return;
    }
    deliverBlock(ctx, {
      seq: first.seq,
      view: first.view,
      digest: first.digest,
      batch: e.batches[i] as Batch,
      certificate: cert,
    });
    delivered++;
  });
  if (delivered === 0) {
    reject(ctx, "no block extends our chain");
    return;
  }
  deliverReady(ctx);
  const p = ctx.env.committee.params;
  // Keep pulling while the responder had a full response or we are still below the stable checkpoint.
  if (e.message.certificates.length >= p.maxBlocksPerResponse || s.lastCommitted < s.stable.seq) {
    requestBlocks(ctx, e.from);
  }
  proposeReady(ctx, false);
}
