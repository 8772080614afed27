/**
 * Delivery: committed batches leave the core strictly in sequence order
 * (PBFT §4.3: "executes the operation after all requests with lower sequence
 * numbers have been executed"), whether they were committed here or fetched
 * with a commit certificate by state transfer.
 */

import type { Batch } from "./batch.ts";
import { requestDigest } from "./batch.ts";
import type { Ctx } from "./context.ts";
import { afterDelivery, randomnessOf } from "./epoch.ts";
import type { Digest } from "./hash.ts";
import { digestKey } from "./hash.ts";
import type { Commit, Signed } from "./messages.ts";
import { type CommittedBlock, chainHashAfter } from "./state.ts";

export interface ProvenBlock {
  readonly seq: number;
  readonly view: number;
  readonly digest: Digest;
  readonly batch: Batch;
  readonly certificate: readonly Signed<Commit>[];
}

/** Delivers every committed slot that directly follows the last delivered one. */
export function deliverReady(ctx: Ctx): void {
  const s = ctx.state;
  for (;;) {
    const slot = s.slots.get(s.lastCommitted + 1);
    if (slot?.commit === undefined) {
      return;
    }
    deliverBlock(ctx, { seq: slot.seq, ...slot.commit });
  }
}

/** Appends block `lastCommitted + 1` to the chain; the caller has proven it committed. */
export function deliverBlock(ctx: Ctx, b: ProvenBlock): void {
  const s = ctx.state;
  const p = ctx.env.committee.params;
  if (b.seq !== s.lastCommitted + 1) {
    throw new Error(`delivery out of order: ${b.seq} after ${s.lastCommitted}`);
  }
  const chainHash = chainHashAfter(s.chainHash, b.seq, b.digest);
  const checkpoint = b.seq % p.checkpointInterval === 0;
  s.chainHash = chainHash;
  s.lastCommitted = b.seq;
  const randomness = randomnessOf(s);
  const beacon = afterDelivery(ctx, b.seq, b.batch);
  const block: CommittedBlock = {
    ...b,
    chainHash,
    checkpoint,
    ...(beacon === undefined ? {} : { beacon }),
    ...(randomness === undefined ? {} : { randomness }),
  };
  s.chain.set(b.seq, { seq: b.seq, view: b.view, digest: b.digest, chainHash, checkpoint });
  s.chain.delete(b.seq - p.blockRetention);
  for (const r of b.batch) {
    const key = digestKey(requestDigest(r));
    s.pool.delete(key);
    s.proposed.delete(key);
    s.committedRequests.set(key, b.seq);
  }
  // The shell answers with the application's state root (`executed`), which goes into our CHECKPOINT.
  if (checkpoint && b.seq > s.stable.seq) {
    s.pendingCheckpoints.set(b.seq, chainHash);
  }
  // PBFT §4.5.2: progress in a view resets the back-off of the view timer.
  if (s.active) {
    s.viewChangeAttempts = 0;
  }
  const slot = s.slots.get(b.seq);
  if (slot !== undefined && slot.commit === undefined) {
    slot.commit = { view: b.view, digest: b.digest, batch: b.batch, certificate: b.certificate };
  }
  ctx.committed.push(block);
}
