/**
 * Client requests: the pool every replica keeps, relaying between replicas,
 * and the primary's batching (PBFT §5.1: the primary batches requests while
 * earlier batches are in flight; here a batch closes when it is full or when
 * the batch timer fires).
 */
import { type Batch, batchDigest, requestDigest } from "./batch.ts";
import { broadcast, type Ctx, isPrimary, reject, toSigned } from "./context.ts";
import type { Verified } from "./envelope.ts";
import { digestKey } from "./hash.ts";
import type { ForwardRequest } from "./messages.ts";
import { slotFor } from "./state.ts";

/** A request from a client (through the API). Relayed to every replica, so any future primary holds it (PBFT §4.5.2). */
export function onClientRequest(ctx: Ctx, request: Uint8Array): void {
  if (!addToPool(ctx, request)) {
    return;
  }
  broadcast(ctx, { type: "request", request });
  proposeReady(ctx, false);
}

export function onForwardRequest(ctx: Ctx, e: Verified<ForwardRequest>): void {
  if (!addToPool(ctx, e.message.request)) {
    return;
  }
  proposeReady(ctx, false);
}

function addToPool(ctx: Ctx, request: Uint8Array): boolean {
  const s = ctx.state;
  const p = ctx.env.committee.params;
  if (request.length === 0 || request.length > p.maxRequestBytes) {
    reject(ctx, "request size out of range");
    return false;
  }
  const key = digestKey(requestDigest(request));
  if (s.committedRequests.has(key)) {
    reject(ctx, "request already committed");
    return false;
  }
  if (s.pool.has(key)) {
    reject(ctx, "request already pending");
    return false;
  }
  if (s.pool.size >= p.maxPoolRequests) {
    reject(ctx, "request pool full");
    return false;
  }
  s.pool.set(key, { request, round: s.statusRound });
  return true;
}

/** Pending requests the current primary has not put in a batch yet, in arrival order, up to one batch. */
function nextBatch(ctx: Ctx): { batch: Batch; full: boolean } {
  const s = ctx.state;
  const p = ctx.env.committee.params;
  const batch: Uint8Array[] = [];
  let bytes = 0;
  for (const [key, entry] of s.pool) {
    if (s.proposed.has(key)) {
      continue;
    }
    if (batch.length >= p.maxBatchRequests || bytes + entry.request.length > p.maxBatchBytes) {
      return { batch, full: true };
    }
    batch.push(entry.request);
    bytes += entry.request.length;
  }
  return { batch, full: batch.length >= p.maxBatchRequests };
}

export function hasUnproposed(ctx: Ctx): boolean {
  const s = ctx.state;
  if (s.pool.size > s.proposed.size) {
    return true;
  }
  for (const key of s.pool.keys()) {
    if (!s.proposed.has(key)) {
      return true;
    }
  }
  return false;
}

/**
 * The primary assigns the next sequence numbers to full batches while they
 * fit below the high watermark h + L (PBFT §4.2); with `force` (batch timer)
 * it also sends a partial one.
 */
export function proposeReady(ctx: Ctx, force: boolean): void {
  const s = ctx.state;
  if (!s.active || !isPrimary(ctx)) {
    return;
  }
  const high = s.stable.seq + ctx.env.committee.params.watermarkWindow;
  while (s.nextSeq <= high) {
    const { batch, full } = nextBatch(ctx);
    if (batch.length === 0 || (!full && !force)) {
      return;
    }
    propose(ctx, batch);
  }
}

/** PBFT §4.2: the primary multicasts ⟨PRE-PREPARE, v, n, d⟩ with the batch m piggybacked. */
function propose(ctx: Ctx, batch: Batch): void {
  const s = ctx.state;
  const seq = s.nextSeq++;
  const digest = batchDigest(batch);
  const sealed = broadcast(ctx, { type: "pre-prepare", view: s.view, seq, digest }, [batch]);
  const slot = slotFor(s, seq, s.view);
  slot.prePrepare = { signed: toSigned(sealed.envelope), batch };
  for (const r of batch) {
    s.proposed.add(digestKey(requestDigest(r)));
  }
}
