/**
 * What one `step` call accumulates: messages to send, blocks committed, and
 * whether the input changed anything (inputs that change nothing are not
 * persisted). Handlers receive this context instead of returning values.
 */
import type { Batch } from "./batch.ts";
import type { RequestClassifier } from "./batching.ts";
import type { BeaconKeys } from "./beacon.ts";
import type { Committee, ReplicaId } from "./committee.ts";
import { encodeEnvelope } from "./encoding.ts";
import { type Sealed, seal, type Verified } from "./envelope.ts";
import type { Message, MessageType, Signed } from "./messages.ts";
import type { PrimarySelector } from "./primary.ts";
import type { Signer } from "./signing.ts";
import type { CommittedBlock, ReplicaState } from "./state.ts";

export interface ReplicaEnv {
  readonly committee: Committee;
  readonly signer: Signer;
  readonly selector: PrimarySelector;
  readonly classify: RequestClassifier;
  /** The most weight one batch holds (RequestClass.weight). */
  readonly maxBatchWeight: bigint;
  /** SE-Random's VRF (CONSENSUS.md §8); absent: round-robin primaries and no beacon. */
  readonly beacon: BeaconKeys | undefined;
}

/** A message to transmit. "others" = every replica except the sender. */
export interface Outbound {
  readonly to: ReplicaId | "others";
  readonly type: MessageType;
  readonly bytes: Uint8Array;
}

/** Committed blocks a peer asked for (FETCH-BLOCKS), to be answered from the shell's block store. */
export interface BlockRequest {
  readonly to: ReplicaId;
  readonly fromSeq: number;
  readonly toSeq: number;
}

export interface Ctx {
  readonly env: ReplicaEnv;
  readonly state: ReplicaState;
  readonly send: Outbound[];
  readonly serve: BlockRequest[];
  readonly committed: CommittedBlock[];
  /** Set when the input was refused before it changed any state. */
  rejected: string | undefined;
  /** >0 while re-processing buffered messages inside another input; their refusals are not the input's. */
  depth: number;
  /** A stable checkpoint was taken: persist a snapshot after this input. */
  snapshot: boolean;
  /** An epoch was sealed: buffered pre-prepares of the next epoch can now be checked, and its proposer can start. */
  sealed: boolean;
}

export function newCtx(env: ReplicaEnv, state: ReplicaState): Ctx {
  return {
    env,
    state,
    send: [],
    serve: [],
    committed: [],
    rejected: undefined,
    depth: 0,
    snapshot: false,
    sealed: false,
  };
}

/** Refuse the input. Call only before mutating state: a refused input is not persisted. */
export function reject(ctx: Ctx, reason: string): void {
  if (ctx.depth === 0 && ctx.rejected === undefined) {
    ctx.rejected = reason;
  }
}

export function primaryOf(ctx: Ctx, view: number): ReplicaId {
  return ctx.env.selector.primary(view);
}

export function isPrimary(ctx: Ctx, view = ctx.state.view): boolean {
  return primaryOf(ctx, view) === ctx.state.id;
}

/** Sequence numbers accepted are h < n <= h + L (PBFT §4.2 watermarks). */
export function inWindow(ctx: Ctx, seq: number): boolean {
  const h = ctx.state.stable.seq;
  return seq > h && seq <= h + ctx.env.committee.params.watermarkWindow;
}

export function broadcast<M extends Message>(ctx: Ctx, message: M, batches: readonly Batch[] = []): Sealed<M> {
  const sealed = seal(message, batches, ctx.env.signer, ctx.env.committee);
  ctx.send.push({ to: "others", type: message.type, bytes: sealed.bytes });
  return sealed;
}

export function sendTo<M extends Message>(ctx: Ctx, to: ReplicaId, message: M, batches: readonly Batch[] = []): void {
  const sealed = seal(message, batches, ctx.env.signer, ctx.env.committee);
  ctx.send.push({ to, type: message.type, bytes: sealed.bytes });
}

/** Retransmits a message as it was signed (ours or a peer's): its signature still proves its author. */
export function forward(ctx: Ctx, to: ReplicaId | "others", envelope: Verified | Signed): void {
  const batches = "batches" in envelope ? envelope.batches : [];
  ctx.send.push({ to, type: envelope.message.type, bytes: encodeEnvelope({ ...envelope, batches }) });
}

/** The signed part of an envelope, without attachments, for storing in certificates. */
export function toSigned<M extends Message>(e: Signed<M>): Signed<M> {
  return { from: e.from, message: e.message, signature: e.signature };
}
