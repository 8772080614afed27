/**
 * The normal case (PBFT §4.2 and §4.3): PRE-PREPARE, PREPARE and COMMIT with
 * 2f + 1 quorums, for any sequence number inside the watermark window, so
 * several batches are in flight at once.
 */
import { type Batch, batchBytes, requestDigest } from "./batch.ts";
import { proposeReady } from "./batching.ts";
import { broadcast, type Ctx, inWindow, primaryOf, reject, toSigned } from "./context.ts";
import { deliverReady } from "./delivery.ts";
import type { Verified } from "./envelope.ts";
import { checkSealing, proposerOf } from "./epoch.ts";
import { digestKey, digestsEqual } from "./hash.ts";
import type { Commit, PrePrepare, Prepare, Signed } from "./messages.ts";
import { type Slot, slotFor } from "./state.ts";

/** Most normal-case messages one sender may have buffered for views we have not entered. */
const FUTURE_PER_SENDER_FACTOR = 3;

type NormalCase = Verified<PrePrepare> | Verified<Prepare> | Verified<Commit>;

/**
 * Routes by view: the current view (when active) is processed, older views are
 * dropped (PBFT §4.2: "the view number in the message is equal to the
 * replica's current view"), and the next view is buffered until we enter it,
 * so a NEW-VIEW that arrives after the new primary's first messages loses nothing.
 */
function admit(ctx: Ctx, e: NormalCase): boolean {
  const s = ctx.state;
  const v = e.message.view;
  if (!inWindow(ctx, e.message.seq)) {
    reject(ctx, "outside the watermark window");
    return false;
  }
  if (v < s.view) {
    reject(ctx, "message from an old view");
    return false;
  }
  if (v > s.view || !s.active) {
    if (v > s.view + 1) {
      reject(ctx, "message from a view too far ahead");
      return false;
    }
    bufferFuture(ctx, e);
    return false;
  }
  return true;
}

/** Keeps a message until we enter its view or learn its epoch; bounded per sender. */
function bufferFuture(ctx: Ctx, e: NormalCase): void {
  const s = ctx.state;
  const v = e.message.view;
  const cap = FUTURE_PER_SENDER_FACTOR * ctx.env.committee.params.watermarkWindow;
  let count = 0;
  for (const f of s.future) {
    if (f.from === e.from) {
      count++;
    }
    if (
      f.from === e.from &&
      f.message.type === e.message.type &&
      f.message.view === v &&
      f.message.seq === e.message.seq
    ) {
      reject(ctx, "duplicate buffered message");
      return;
    }
  }
  if (count >= cap) {
    reject(ctx, "future buffer full for this sender");
    return;
  }
  s.future.push(e);
}

export function onPrePrepare(ctx: Ctx, e: Verified<PrePrepare>): void {
  const m = e.message;
  const proposer = proposerOf(ctx, m.view, m.seq);
  if (proposer === undefined) {
    // SE-Random: the epoch of m.seq, hence its proposer, is known once the blocks before it are delivered.
    if (m.seq <= ctx.state.lastCommitted) {
      reject(ctx, "pre-prepare for a delivered block");
    } else if (admit(ctx, e)) {
      bufferFuture(ctx, e);
    }
    return;
  }
  if (e.from !== proposer) {
    reject(ctx, "pre-prepare not from the primary of its view");
    return;
  }
  const batch = e.batches[0] as Batch;
  const p = ctx.env.committee.params;
  if (batch.length > p.maxBatchRequests || batchBytes(batch) > p.maxBatchBytes) {
    reject(ctx, "batch exceeds the genesis limits");
    return;
  }
  for (const r of batch) {
    if (r.length > p.maxRequestBytes) {
      reject(ctx, "request exceeds the genesis limit");
      return;
    }
  }
  if (!admit(ctx, e)) {
    return;
  }
  const why = checkSealing(ctx, m.seq, batch);
  if (why !== undefined) {
    reject(ctx, why);
    return;
  }
  acceptPrePrepare(ctx, toSigned(e), batch);
}

/**
 * PBFT §4.2: a backup accepts a pre-prepare if it is in view v, n is within
 * the watermarks, and it has not accepted a pre-prepare for (v, n) with a
 * different digest; it then multicasts PREPARE. Accepting at most one digest
 * per (v, n) is what makes the replica unable to equivocate.
 */
export function acceptPrePrepare(ctx: Ctx, signed: Signed<PrePrepare>, batch: Batch): void {
  const s = ctx.state;
  const m = signed.message;
  const slot = slotFor(s, m.seq, m.view);
  if (slot.prePrepare !== undefined) {
    const same = digestsEqual(slot.prePrepare.signed.message.digest, m.digest);
    reject(ctx, same ? "duplicate pre-prepare" : "conflicting pre-prepare for (v, n): equivocating primary");
    return;
  }
  slot.prePrepare = { signed, batch };
  // The signer of a pre-prepare sends no PREPARE for it: the drawn proposer, or the NEW-VIEW's sender for O.
  if (signed.from === s.id) {
    for (const r of batch) {
      s.proposed.add(digestKey(requestDigest(r)));
    }
  } else {
    const sealed = broadcast(ctx, { type: "prepare", view: m.view, seq: m.seq, digest: m.digest });
    slot.prepares.set(s.id, toSigned(sealed.envelope));
  }
  checkPrepared(ctx, slot);
}

export function onPrepare(ctx: Ctx, e: Verified<Prepare>): void {
  if (e.from === prePrepareSigner(ctx, e.message.view, e.message.seq)) {
    reject(ctx, "the primary does not send prepares");
    return;
  }
  if (!admit(ctx, e)) {
    return;
  }
  const slot = slotFor(ctx.state, e.message.seq, e.message.view);
  if (slot.prepares.has(e.from)) {
    reject(ctx, "duplicate prepare");
    return;
  }
  slot.prepares.set(e.from, toSigned(e));
  checkPrepared(ctx, slot);
}

/**
 * Who pre-prepares (view, seq): the primary under round-robin. Under SE-Random it is the drawn
 * proposer or, for O, the NEW-VIEW's sender, known once the pre-prepare is here (checkPrepared
 * ignores a prepare from the signer that arrived before it).
 */
function prePrepareSigner(ctx: Ctx, view: number, seq: number): number | undefined {
  if (ctx.env.beacon === undefined) {
    return primaryOf(ctx, view);
  }
  const slot = ctx.state.slots.get(seq);
  return slot?.view === view ? slot.prePrepare?.signed.from : undefined;
}

export function onCommit(ctx: Ctx, e: Verified<Commit>): void {
  if (!admit(ctx, e)) {
    return;
  }
  const slot = slotFor(ctx.state, e.message.seq, e.message.view);
  if (slot.commits.has(e.from)) {
    reject(ctx, "duplicate commit");
    return;
  }
  slot.commits.set(e.from, toSigned(e));
  checkCommitted(ctx, slot);
}

/**
 * PBFT §4.2: prepared(m, v, n, i) holds once the log has the pre-prepare and
 * 2f prepares from distinct backups matching it; the replica then multicasts
 * COMMIT (once per view) and keeps the certificate for view changes (P).
 */
function checkPrepared(ctx: Ctx, slot: Slot): void {
  const s = ctx.state;
  const pp = slot.prePrepare;
  if (pp === undefined || slot.sentCommit) {
    return;
  }
  const d = pp.signed.message.digest;
  // 2f prepares from backups, i.e. from replicas other than the pre-prepare's signer (PBFT §4.2).
  const matching = [...slot.prepares.values()].filter(
    (p) => p.from !== pp.signed.from && digestsEqual(p.message.digest, d),
  );
  const needed = 2 * ctx.env.committee.f;
  if (matching.length < needed) {
    return;
  }
  matching.sort((a, b) => a.from - b.from);
  slot.prepared = { cert: { prePrepare: pp.signed, prepares: matching.slice(0, needed) }, batch: pp.batch };
  const sealed = broadcast(ctx, { type: "commit", view: slot.view, seq: slot.seq, digest: d });
  slot.sentCommit = true;
  slot.commits.set(s.id, toSigned(sealed.envelope));
  checkCommitted(ctx, slot);
}

/** PBFT §4.3: committed-local(m, v, n, i) = prepared and 2f + 1 matching commits (possibly including its own). */
function checkCommitted(ctx: Ctx, slot: Slot): void {
  const pp = slot.prePrepare;
  if (pp === undefined || !slot.sentCommit || slot.commit !== undefined) {
    return;
  }
  const d = pp.signed.message.digest;
  const matching = [...slot.commits.values()].filter((c) => digestsEqual(c.message.digest, d));
  const q = ctx.env.committee.quorum;
  if (matching.length < q) {
    return;
  }
  matching.sort((a, b) => a.from - b.from);
  slot.commit = { view: slot.view, digest: d, batch: pp.batch, certificate: matching.slice(0, q) };
  deliverReady(ctx);
  proposeReady(ctx, false);
}

/** Re-processes buffered messages of `view` once we entered it; drops those of older views. */
export function replayFuture(ctx: Ctx, dispatch: (ctx: Ctx, e: Verified) => void): void {
  const s = ctx.state;
  const now = s.future.filter((e) => "view" in e.message && e.message.view === s.view);
  s.future = s.future.filter((e) => "view" in e.message && e.message.view > s.view);
  ctx.depth++;
  try {
    for (const e of now) {
      dispatch(ctx, e);
    }
  } finally {
    ctx.depth--;
  }
}
