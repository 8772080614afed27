/**
 * View changes (PBFT §4.4) and their liveness rules (§4.5.2).
 *
 * A backup whose view timer expires stops accepting normal-case messages of
 * view v and multicasts ⟨VIEW-CHANGE, v+1, n, C, P, i⟩. The primary of v+1
 * collects 2f + 1 valid ones (V), computes O (planNewView) and multicasts
 * ⟨NEW-VIEW, v+1, V, O⟩; backups check V and recompute O before entering
 * v+1 and preparing every entry of O. Prepared certificates thus carry every
 * batch that may have committed into the new view: a batch committed at a
 * correct replica was prepared by f + 1 correct replicas, one of which is in
 * any 2f + 1 set V.
 */
import type { Batch } from "./batch.ts";
import { proposeReady } from "./batching.ts";
import { checkViewChange, entryBatch, type NewViewPlan, planNewView } from "./certificates.ts";
import { adoptStableCheckpoint } from "./checkpoint.ts";
import { broadcast, type Ctx, isPrimary, primaryOf, reject, toSigned } from "./context.ts";
import { signMessage, type Verified } from "./envelope.ts";
import { digestsEqual } from "./hash.ts";
import type { Checkpoint, NewView, PrePrepare, PreparedCertificate, Signed, ViewChange } from "./messages.ts";
import { acceptPrePrepare, replayFuture } from "./normal-case.ts";
import type { PrimarySelector } from "./primary.ts";

export type Dispatch = (ctx: Ctx, e: Verified) => void;

/** Who must have signed a prepared certificate's pre-prepare: the view's primary, unchecked under SE-Random. */
function certificateSelector(ctx: Ctx): PrimarySelector | undefined {
  return ctx.env.beacon === undefined ? ctx.env.selector : undefined;
}

/** Leave the current view for `target` (> current): multicast VIEW-CHANGE with C and P. */
export function startViewChange(ctx: Ctx, target: number, dispatch: Dispatch): void {
  const s = ctx.state;
  if (target <= s.view) {
    return;
  }
  s.view = target;
  s.active = false;
  s.viewChangeQuorum = false;
  s.viewChangeAttempts++;
  s.proposed.clear();
  s.newView = undefined;
  // P: the prepared certificate of the highest view for every n above the stable checkpoint.
  const prepared: PreparedCertificate[] = [];
  const batches: Batch[] = [];
  const seqs = [...s.slots.keys()].filter((n) => n > s.stable.seq).sort((a, b) => a - b);
  for (const n of seqs) {
    const p = s.slots.get(n)?.prepared;
    if (p === undefined) {
      continue;
    }
    prepared.push(p.cert);
    batches.push(p.batch);
  }
  const vc: ViewChange = {
    type: "view-change",
    newView: target,
    stableSeq: s.stable.seq,
    checkpointProof: s.stable.proof,
    prepared,
  };
  const sealed = broadcast(ctx, vc, batches);
  s.ownViewChange = sealed.envelope;
  storeViewChange(ctx, sealed.envelope);
  s.future = s.future.filter((e) => "view" in e.message && e.message.view >= target);
  tryNewView(ctx, dispatch);
}

/** Keeps at most one VIEW-CHANGE per sender, its latest: bounded memory whatever views a Byzantine sender names. */
function storeViewChange(ctx: Ctx, e: Verified<ViewChange>): void {
  const s = ctx.state;
  for (const [view, byReplica] of s.viewChanges) {
    byReplica.delete(e.from);
    if (byReplica.size === 0) {
      s.viewChanges.delete(view);
    }
  }
  let map = s.viewChanges.get(e.message.newView);
  if (map === undefined) {
    map = new Map();
    s.viewChanges.set(e.message.newView, map);
  }
  map.set(e.from, e);
  latchViewChangeQuorum(ctx);
}

/**
 * PBFT §4.5.2 starts the view-change timer once 2f + 1 replicas are changing view. A replica that
 * already asks for a higher view has left ours too, so it counts: otherwise a replica whose earlier
 * VIEW-CHANGE we missed, and that has since moved on, would leave us below the quorum forever.
 */
function latchViewChangeQuorum(ctx: Ctx): void {
  const s = ctx.state;
  if (s.active || s.viewChangeQuorum) {
    return;
  }
  let count = 0;
  for (const [view, byReplica] of s.viewChanges) {
    if (view >= s.view) {
      count += byReplica.size;
    }
  }
  if (count >= ctx.env.committee.quorum) {
    s.viewChangeQuorum = true;
  }
}

export function onViewChange(ctx: Ctx, e: Verified<ViewChange>, dispatch: Dispatch): void {
  const s = ctx.state;
  const w = e.message.newView;
  if (w < s.view || (w === s.view && s.active)) {
    reject(ctx, "view change for an old view");
    return;
  }
  for (const [view, byReplica] of s.viewChanges) {
    if (byReplica.has(e.from) && view >= w) {
      reject(ctx, "duplicate or superseded view change");
      return;
    }
  }
  const why = checkViewChange(e.message, ctx.env.committee, certificateSelector(ctx));
  if (why !== undefined) {
    reject(ctx, `invalid view change: ${why}`);
    return;
  }
  storeViewChange(ctx, e);
  // PBFT §4.5.2: f + 1 view changes for views above ours prove a correct replica wants to move;
  // join the smallest such view even if our timer has not expired.
  let count = 0;
  let smallest = Number.POSITIVE_INFINITY;
  for (const [view, byReplica] of s.viewChanges) {
    if (view <= s.view) {
      continue;
    }
    for (const from of byReplica.keys()) {
      if (from === s.id) {
        continue;
      }
      count++;
      smallest = Math.min(smallest, view);
    }
  }
  if (count >= ctx.env.committee.weakQuorum) {
    startViewChange(ctx, smallest, dispatch);
    return;
  }
  tryNewView(ctx, dispatch);
}

/** The primary of the view being changed to sends NEW-VIEW once it holds 2f + 1 valid VIEW-CHANGEs. */
function tryNewView(ctx: Ctx, dispatch: Dispatch): void {
  const s = ctx.state;
  const c = ctx.env.committee;
  if (s.active || !isPrimary(ctx)) {
    return;
  }
  const byReplica = s.viewChanges.get(s.view);
  if (byReplica === undefined || byReplica.size < c.quorum) {
    return;
  }
  const chosen = [...byReplica.values()].sort((a, b) => a.from - b.from).slice(0, c.quorum);
  const plan = planNewView(chosen.map((e) => e.message));
  const vcBatches = chosen.map((e) => e.batches);
  const prePrepares: Signed<PrePrepare>[] = [];
  const batches: Batch[] = [];
  for (const entry of plan.entries) {
    prePrepares.push(
      signMessage({ type: "pre-prepare", view: s.view, seq: entry.seq, digest: entry.digest }, ctx.env.signer, c),
    );
    batches.push(entryBatch(entry, vcBatches));
  }
  const nv: NewView = { type: "new-view", view: s.view, viewChanges: chosen.map(toSigned), prePrepares };
  const sealed = broadcast(ctx, nv, batches);
  enterNewView(ctx, sealed.envelope, plan, dispatch);
}

export function onNewView(ctx: Ctx, e: Verified<NewView>, dispatch: Dispatch): void {
  const s = ctx.state;
  const m = e.message;
  if (e.from !== primaryOf(ctx, m.view)) {
    reject(ctx, "new view not from the primary of that view");
    return;
  }
  if (m.view < s.view || (m.view === s.view && s.active)) {
    reject(ctx, "new view for an old view");
    return;
  }
  const checked = checkNewView(ctx, e);
  if (typeof checked === "string") {
    reject(ctx, `invalid new view: ${checked}`);
    return;
  }
  enterNewView(ctx, e, checked, dispatch);
}

/** PBFT §4.4: a backup accepts NEW-VIEW if V holds 2f + 1 valid view changes for it and O is what V implies. */
function checkNewView(ctx: Ctx, e: Verified<NewView>): NewViewPlan | string {
  const c = ctx.env.committee;
  const m = e.message;
  if (m.viewChanges.length < c.quorum) {
    return "fewer than 2f + 1 view changes";
  }
  for (const vc of m.viewChanges) {
    const why = checkViewChange(vc.message, c, certificateSelector(ctx));
    if (why !== undefined) {
      return `view change from ${vc.from}: ${why}`;
    }
  }
  const plan = planNewView(m.viewChanges.map((vc) => vc.message));
  if (plan.entries.length !== m.prePrepares.length) {
    return "O does not cover (min-s, max-s]";
  }
  for (let i = 0; i < plan.entries.length; i++) {
    const want = plan.entries[i] as NewViewPlan["entries"][number];
    const got = m.prePrepares[i] as Signed<PrePrepare>;
    if (got.from !== e.from) {
      return "pre-prepare in O not signed by the new primary";
    }
    if (got.message.seq !== want.seq || !digestsEqual(got.message.digest, want.digest)) {
      return `O differs from V at sequence ${want.seq}`;
    }
  }
  return plan;
}

/** Enter view `nv.view`: adopt min-s if newer, pre-prepare every entry of O, then resume (PBFT §4.4). */
function enterNewView(ctx: Ctx, nv: Verified<NewView>, plan: NewViewPlan, dispatch: Dispatch): void {
  const s = ctx.state;
  const m = nv.message;
  if (plan.minS > s.stable.seq) {
    const source = m.viewChanges.find((vc) => vc.message.stableSeq === plan.minS) as Signed<ViewChange>;
    const proof = source.message.checkpointProof;
    const first = proof[0] as Signed<Checkpoint>;
    adoptStableCheckpoint(ctx, {
      seq: plan.minS,
      chainHash: first.message.chainHash,
      stateRoot: first.message.stateRoot,
      proof,
    });
  }
  s.view = m.view;
  s.active = true;
  s.viewChangeQuorum = false;
  s.newView = nv;
  s.ownViewChange = undefined;
  for (const view of [...s.viewChanges.keys()]) {
    if (view <= m.view) {
      s.viewChanges.delete(view);
    }
  }
  s.proposed.clear();
  s.nextSeq = Math.max(plan.maxS, s.stable.seq) + 1;
  m.prePrepares.forEach((pp, i) => {
    if (pp.message.seq <= s.stable.seq) {
      return;
    }
    acceptPrePrepare(ctx, pp, nv.batches[i] as Batch);
  });
  replayFuture(ctx, dispatch);
  proposeReady(ctx, false);
}
