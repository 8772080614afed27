/**
 * Client requests: the pool every replica keeps (the only transaction pool,
 * CONSENSUS.md §3.1), relaying between replicas, and the primary's
 * batching (PBFT §5.1: the primary batches requests while earlier batches are
 * in flight; here a batch closes when it is full or when the batch timer
 * fires, and a primary with nothing in flight proposes at once, so a lone
 * request on an idle chain never waits for the timer). The pool is bounded
 * in count and bytes; when full, a request paying a higher fee rate evicts
 * the lowest. Batches take the pool round-robin
 * across lanes (sources), highest fee rate first within a round, so one
 * source flooding delays another's request by at most one round. A batch
 * also holds at most the application's weight budget (a block's gas), so an
 * honest primary never proposes what the application would refuse for size.
 */
import { type Batch, batchDigest, requestDigest } from "./batch.ts";
import { broadcast, type Ctx, reject, toSigned } from "./context.ts";
import type { Verified } from "./envelope.ts";
import { isProposer, sealingBatch } from "./epoch.ts";
import { type Digest, digestKey } from "./hash.ts";
import type { ForwardRequest } from "./messages.ts";
import { looksLikeSeal } from "./seal.ts";
import { type PoolEntry, slotFor } from "./state.ts";

/** What the application reads from a request's bytes; a pure function of them, so every replica agrees. */
export interface RequestClass {
  /** The source a request is attributed to (an issuer, a spent note, ...). */
  readonly lane: string;
  /** What it pays; divided by its size, its fee rate. */
  readonly fee: bigint;
  /** What it uses of a batch's weight budget (`ReplicaOptions.maxBatchWeight`): a contract transaction's gas. */
  readonly weight: bigint;
}

export type RequestClassifier = (request: Uint8Array) => RequestClass;

/** Without an application: one lane, no fees, so batches are first come, first served. */
export const unclassified: RequestClassifier = () => ({ lane: "", fee: 0n, weight: 0n });

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

/** The application found these requests can never commit; those not yet in a batch leave the pool. */
export function onDrop(ctx: Ctx, digests: readonly Digest[]): void {
  const s = ctx.state;
  const keys = digests.map(digestKey).filter((key) => s.pool.has(key) && !s.proposed.has(key));
  if (keys.length === 0) {
    reject(ctx, "nothing to drop");
    return;
  }
  for (const key of keys) {
    s.pool.delete(key);
  }
}

function addToPool(ctx: Ctx, request: Uint8Array): boolean {
  const s = ctx.state;
  const p = ctx.env.committee.params;
  if (request.length === 0 || request.length > p.maxRequestBytes) {
    reject(ctx, "request size out of range");
    return false;
  }
  if (looksLikeSeal(request)) {
    // Only a sealing block may hold a seal record: one in an ordinary batch would make it invalid.
    reject(ctx, "request looks like a seal record");
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
  const { lane, fee, weight } = ctx.env.classify(request);
  const entry: PoolEntry = { request, round: s.statusRound, lane, fee, weight };
  const evicted = evictionFor(ctx, entry);
  if (evicted === undefined) {
    reject(ctx, "request pool full");
    return false;
  }
  for (const victim of evicted) {
    s.pool.delete(victim);
  }
  s.pool.set(key, entry);
  return true;
}

/** Negative, zero or positive as a pays a lower, equal or higher fee per byte than b. */
function compareFeeRate(a: PoolEntry, b: PoolEntry): number {
  const left = a.fee * BigInt(b.request.length);
  const right = b.fee * BigInt(a.request.length);
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * The entries to evict so `incoming` fits both bounds: the lowest fee rates
 * first (the newest among equals), never one already in a batch, never one
 * paying as much as `incoming`. `undefined` when no such set makes room, so a
 * refused request evicts nothing.
 */
function evictionFor(ctx: Ctx, incoming: PoolEntry): string[] | undefined {
  const s = ctx.state;
  const p = ctx.env.committee.params;
  let count = s.pool.size + 1;
  let bytes = incoming.request.length;
  for (const entry of s.pool.values()) {
    bytes += entry.request.length;
  }
  const victims: string[] = [];
  while (count > p.maxPoolRequests || bytes > p.maxPoolBytes) {
    let cheapest: [string, PoolEntry] | undefined;
    for (const [key, entry] of s.pool) {
      if (s.proposed.has(key) || victims.includes(key) || compareFeeRate(entry, incoming) >= 0) {
        continue;
      }
      if (cheapest === undefined || compareFeeRate(entry, cheapest[1]) <= 0) {
        cheapest = [key, entry];
      }
    }
    if (cheapest === undefined) {
      return undefined;
    }
    victims.push(cheapest[0]);
    count--;
    bytes -= cheapest[1].request.length;
  }
  return victims;
}

/**
 * Pending requests the current primary has not put in a batch yet, up to one
 * batch: round r holds the r-th pooled request of every lane (arrival order
 * within a lane, requests already in a batch counted, so a lane's rounds go
 * on across the batches of one backlog), rounds in order, the highest fee rate
 * first within a round, arrival order among equals.
 */
function nextBatch(ctx: Ctx): { batch: Batch; full: boolean } {
  const s = ctx.state;
  const p = ctx.env.committee.params;
  const taken = new Map<string, number>();
  const waiting: { entry: PoolEntry; arrival: number; round: number }[] = [];
  for (const [key, entry] of s.pool) {
    const round = taken.get(entry.lane) ?? 0;
    taken.set(entry.lane, round + 1);
    if (!s.proposed.has(key)) {
      waiting.push({ entry, arrival: waiting.length, round });
    }
  }
  waiting.sort((a, b) => a.round - b.round || compareFeeRate(b.entry, a.entry) || a.arrival - b.arrival);
  const batch: Uint8Array[] = [];
  let bytes = 0;
  let weight = 0n;
  let overweight = false;
  for (const { entry } of waiting) {
    if (batch.length >= p.maxBatchRequests || bytes + entry.request.length > p.maxBatchBytes) {
      return { batch, full: true };
    }
    // A request over the weight budget waits for the next batch; lighter ones behind it may still fit.
    if (weight + weightOf(entry) > ctx.env.maxBatchWeight) {
      overweight = true;
      continue;
    }
    batch.push(entry.request);
    bytes += entry.request.length;
    weight += weightOf(entry);
  }
  return { batch, full: overweight || batch.length >= p.maxBatchRequests };
}

/** Snapshots from before weights hold entries without one: they weigh nothing, as they did then. */
function weightOf(entry: PoolEntry): bigint {
  return entry.weight ?? 0n;
}

/** Whether the unproposed requests can close a batch: a cheap test before ranking them all for each request. */
function fillsBatch(ctx: Ctx): boolean {
  const s = ctx.state;
  const p = ctx.env.committee.params;
  let count = 0;
  let bytes = 0;
  let weight = 0n;
  for (const [key, entry] of s.pool) {
    if (!s.proposed.has(key)) {
      count++;
      bytes += entry.request.length;
      weight += weightOf(entry);
    }
  }
  return count >= p.maxBatchRequests || bytes > p.maxBatchBytes || weight > ctx.env.maxBatchWeight;
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
 * fit below the high watermark h + L (PBFT §4.2). A partial batch goes with
 * `force` (batch timer) or when nothing the primary proposed is still
 * uncommitted: batching only pays while earlier batches are in flight
 * (PBFT §5.1), so an idle primary does not hold a request for the timer.
 */
export function proposeReady(ctx: Ctx, force: boolean): void {
  const s = ctx.state;
  const high = s.stable.seq + ctx.env.committee.params.watermarkWindow;
  while (s.active && isProposer(ctx) && s.nextSeq <= high) {
    // SE-Random: the epoch's sealing block carries its shares alone (CONSENSUS.md §8.2).
    const sealing = sealingBatch(ctx, s.nextSeq);
    if (sealing === "wait") {
      return;
    }
    if (sealing !== undefined) {
      propose(ctx, sealing);
      continue;
    }
    if (!force && !nothingInFlight(ctx) && !fillsBatch(ctx)) {
      return;
    }
    const { batch, full } = nextBatch(ctx);
    if (batch.length === 0 || (!full && !force && !nothingInFlight(ctx))) {
      return;
    }
    propose(ctx, batch);
  }
}

/** Every sequence number this primary assigned is delivered: no batch is pre-prepared and not yet committed. */
function nothingInFlight(ctx: Ctx): boolean {
  return ctx.state.nextSeq <= ctx.state.lastCommitted + 1;
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
