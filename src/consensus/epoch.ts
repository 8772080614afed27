/**
 * SE-Random in the replica (CONSENSUS.md §8.2, §8.4): who proposes which
 * sequence number, when a validator sends its share, what the sealing block
 * must carry, and the move to the next epoch when it is delivered.
 *
 * Epoch e starts after the block that sealed e - 1 and its K-th block is its
 * sealing candidate. A candidate sealed by a view change's null request does
 * not seal, so the next block is the candidate again: which epoch a block
 * belongs to is known once every block before it is delivered, or earlier
 * for blocks before the candidate. A pre-prepare whose epoch is not known yet
 * waits, like one for the next view.
 */

import type { Batch } from "./batch.ts";
import { type BeaconShare, beaconAlpha, deriveBeacon, type EpochBeacon, genesisBeacon } from "./beacon.ts";
import type { Committee, ReplicaId } from "./committee.ts";
import { type Ctx, primaryOf, reject, sendTo } from "./context.ts";
import { drawOrder } from "./draw.ts";
import type { Verified } from "./envelope.ts";
import type { Digest } from "./hash.ts";
import type { Share } from "./messages.ts";
import { encodeSeal, sealOf } from "./seal.ts";
import type { Randomness, ReplicaState } from "./state.ts";

export interface EpochState {
  readonly epoch: number;
  /** B_{e-1}, which drew this epoch's order. */
  readonly previous: Digest;
  /** The first sequence number of the epoch. */
  readonly firstSeq: number;
  /** The drawn primaries: view v is led by order[v mod n] (draw.ts). */
  readonly order: readonly ReplicaId[];
}

export function firstEpoch(committee: Committee): EpochState {
  const previous = genesisBeacon(committee);
  return { epoch: 0, previous, firstSeq: 1, order: drawOrder(previous, committee.stakes) };
}

function candidateSeq(ctx: Ctx, ep: EpochState): number {
  return ep.firstSeq + ctx.env.committee.params.epochLength - 1;
}

/**
 * The replica that may pre-prepare `seq` in `view`, or undefined while its epoch is unknown here
 * (or `seq` was delivered already). Round-robin (PBFT §4.1) without SE-Random.
 */
export function proposerOf(ctx: Ctx, view: number, seq: number): ReplicaId | undefined {
  const s = ctx.state;
  const ep = s.epoch;
  if (ep === undefined) {
    return primaryOf(ctx, view);
  }
  if (seq < ep.firstSeq || (seq > candidateSeq(ctx, ep) && seq - 1 > s.lastCommitted)) {
    return undefined;
  }
  return ep.order[view % ctx.env.committee.n];
}

/** Whether this replica pre-prepares the next sequence number in the current view. */
export function isProposer(ctx: Ctx): boolean {
  return proposerOf(ctx, ctx.state.view, ctx.state.nextSeq) === ctx.state.id;
}

function verifyShares(ctx: Ctx, ep: EpochState, shares: readonly BeaconShare[]): EpochBeacon | string {
  const keys = ctx.env.beacon;
  if (keys === undefined) {
    return "SE-Random is off";
  }
  return deriveBeacon(keys, ctx.env.committee, ep.epoch, ep.previous, shares);
}

/**
 * What a pre-prepared batch must be at `seq` (its epoch known): a sealing candidate carries the
 * epoch's seal record with 2f + 1 valid shares and nothing else; any other block carries no record.
 */
export function checkSealing(ctx: Ctx, seq: number, batch: Batch): string | undefined {
  const ep = ctx.state.epoch;
  if (ep === undefined) {
    return undefined;
  }
  const seal = sealOf(batch);
  if (seal === "malformed") {
    return "malformed seal record";
  }
  if (seq < candidateSeq(ctx, ep)) {
    return seal === "none" ? undefined : "seal record before the sealing block";
  }
  if (seal === "none") {
    return "sealing block without the epoch's shares";
  }
  if (seal.epoch !== ep.epoch) {
    return "seal record of another epoch";
  }
  const beacon = verifyShares(ctx, ep, seal.shares);
  return typeof beacon === "string" ? `bad seal: ${beacon}` : undefined;
}

/**
 * The proposer's batch for `seq`: undefined if it is no sealing candidate (an ordinary batch),
 * "wait" until 2f + 1 shares are here, else the sealing batch.
 */
export function sealingBatch(ctx: Ctx, seq: number): Batch | "wait" | undefined {
  const s = ctx.state;
  const ep = s.epoch;
  if (ep === undefined || seq < candidateSeq(ctx, ep)) {
    return undefined;
  }
  if (s.shares.size < ctx.env.committee.quorum) {
    return "wait";
  }
  const shares = [...s.shares]
    .sort(([a], [b]) => a - b)
    .map(([validator, proof]): BeaconShare => ({ validator, proof }));
  return [encodeSeal({ epoch: ep.epoch, shares })];
}

/** A share sent to us as a proposer: verified against the current epoch's alpha, one per validator. */
export function onShare(ctx: Ctx, e: Verified<Share>): boolean {
  const s = ctx.state;
  const ep = s.epoch;
  const keys = ctx.env.beacon;
  if (ep === undefined || keys === undefined) {
    reject(ctx, "SE-Random is off");
    return false;
  }
  if (e.message.epoch !== ep.epoch) {
    reject(ctx, "share for another epoch");
    return false;
  }
  if (s.shares.has(e.from)) {
    reject(ctx, "duplicate share");
    return false;
  }
  if (keys.verify(e.from, beaconAlpha(keys.chainId, ep.epoch, ep.previous), e.message.proof) === undefined) {
    reject(ctx, "invalid share proof");
    return false;
  }
  s.shares.set(e.from, e.message.proof);
  return true;
}

/**
 * Once the block before the sealing candidate is delivered, the share goes to the candidate's
 * proposer in the current view, and again each status round and after each view change until the
 * epoch is sealed (PBFT §5.2 retransmission; CONSENSUS.md §8.2: revealed no earlier than needed).
 */
export function sendShareIfDue(ctx: Ctx): void {
  const s = ctx.state;
  const ep = s.epoch;
  const keys = ctx.env.beacon;
  if (ep === undefined || keys === undefined || !s.active) {
    return;
  }
  if (s.shareSent?.view === s.view && s.shareSent.round === s.statusRound) {
    return;
  }
  if (s.lastCommitted < candidateSeq(ctx, ep) - 1) {
    return;
  }
  let proof = s.shares.get(s.id);
  if (proof === undefined) {
    proof = keys.prove(beaconAlpha(keys.chainId, ep.epoch, ep.previous));
    s.shares.set(s.id, proof);
  }
  s.shareSent = { view: s.view, round: s.statusRound };
  const to = ep.order[s.view % ctx.env.committee.n] as ReplicaId;
  if (to !== s.id) {
    sendTo(ctx, to, { type: "share", epoch: ep.epoch, proof });
  }
}

/** Our share is out and the epoch is not sealed: a backup waits on the proposer (PBFT §4.5.2 view timer). */
export function awaitingSeal(ctx: Ctx): boolean {
  return ctx.state.shareSent !== undefined;
}

/**
 * Called for each delivered block, in order: a valid seal record at a sealing candidate ends the
 * epoch and draws the next one's primaries from the new beacon, which it returns.
 */
export function afterDelivery(ctx: Ctx, seq: number, batch: Batch): EpochBeacon | undefined {
  const s = ctx.state;
  const ep = s.epoch;
  if (ep === undefined) {
    return undefined;
  }
  const seal = sealOf(batch);
  let beacon: EpochBeacon | undefined;
  if (typeof seal === "object" && seq >= candidateSeq(ctx, ep) && seal.epoch === ep.epoch) {
    const derived = verifyShares(ctx, ep, seal.shares);
    if (typeof derived === "object") {
      beacon = derived;
      s.epoch = {
        epoch: ep.epoch + 1,
        previous: derived.value,
        firstSeq: seq + 1,
        order: drawOrder(derived.value, ctx.env.committee.stakes),
      };
      s.shares = new Map();
      s.shareSent = undefined;
      s.nextSeq = Math.max(s.nextSeq, seq + 1);
      ctx.sealed = true;
    }
  }
  sendShareIfDue(ctx);
  return beacon;
}

/** What a replica shows of SE-Random (GET /v1/status): the epoch it is in, its beacon, who proposes next. */
export interface EpochView {
  readonly epoch: number;
  readonly firstSeq: number;
  /** B_{e-1}, which drew this epoch's primaries. */
  readonly beacon: Digest;
  /** The proposer of the next block in the current view. */
  readonly primary: ReplicaId;
}

export function epochView(ctx: Ctx): EpochView | undefined {
  const s = ctx.state;
  const ep = s.epoch;
  if (ep === undefined) {
    return undefined;
  }
  const primary = proposerOf(ctx, s.view, s.lastCommitted + 1) as ReplicaId;
  return { epoch: ep.epoch, firstSeq: ep.firstSeq, beacon: ep.previous, primary };
}

/** The beacon in force for the next block (CommittedBlock.randomness); undefined without SE-Random. */
export function randomnessOf(state: ReplicaState): Randomness | undefined {
  const ep = state.epoch;
  return ep === undefined ? undefined : { sealed: ep.epoch, beacon: ep.previous };
}
