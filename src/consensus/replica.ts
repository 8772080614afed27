/**
 * The PBFT replica as a pure, deterministic state machine:
 *
 *   step(state, input) -> { state, send, persist, timers, committed }
 *
 * No clock, no randomness, no I/O (ARCHITECTURE.md §2.1-§2.3). The shell
 * (Durable Object) persists `persist` before transmitting `send`, arms
 * `timers`, hands `committed` blocks to the ledger, and reports state roots
 * at checkpoint heights back as `executed` inputs.
 */
import {
  hasUnproposed,
  onClientRequest,
  onDrop,
  onForwardRequest,
  proposeReady,
  type RequestClassifier,
  unclassified,
} from "./batching.ts";
import type { BeaconKeys } from "./beacon.ts";
import { onCheckpoint, onExecuted } from "./checkpoint.ts";
import type { Committee, ReplicaId } from "./committee.ts";
import { type BlockRequest, type Ctx, newCtx, type Outbound, type ReplicaEnv, reject } from "./context.ts";
import { seal, type Verified } from "./envelope.ts";
import {
  awaitingSeal,
  type EpochView,
  epochView,
  firstEpoch,
  isProposer,
  onShare,
  randomnessOf,
  sendShareIfDue,
} from "./epoch.ts";
import type {
  Blocks,
  Checkpoint,
  Commit,
  FetchBlocks,
  ForwardRequest,
  NewView,
  PrePrepare,
  Prepare,
  Share,
  Status,
  ViewChange,
} from "./messages.ts";
import { onCommit, onPrePrepare, onPrepare, replayFuture } from "./normal-case.ts";
import type { Input, PersistRecord } from "./persist.ts";
import { type PrimarySelector, roundRobin } from "./primary.ts";
import type { Signer } from "./signing.ts";
import { type CommittedBlock, initialState, type Randomness, type ReplicaState } from "./state.ts";
import { onBlocks, onFetchBlocks, onStatus, onStatusTick } from "./state-transfer.ts";
import { type ArmedTimer, sameTimer, TIMER_KINDS, type TimerCommand, type TimerKind, viewTimeout } from "./timers.ts";
import { onNewView, onViewChange, startViewChange } from "./view-change.ts";

export interface StepResult {
  readonly state: ReplicaState;
  /** Signed wire messages; transmit only after `persist` is durable. */
  readonly send: readonly Outbound[];
  readonly persist: readonly PersistRecord[];
  readonly timers: readonly TimerCommand[];
  /**
   * Blocks delivered in sequence order by this step. The shell stores them in its block store in
   * the same transaction as `persist` (the core keeps only their headers), then executes them.
   */
  readonly committed: readonly CommittedBlock[];
  /** Blocks peers asked for: read them from the block store and send `blocksReply` (after `persist`, like `send`). */
  readonly serve: readonly BlockRequest[];
  /** Why the input changed nothing (duplicate, stale, out of window, invalid), for metrics and tests. */
  readonly rejected: string | undefined;
}

export interface ReplicaOptions {
  readonly committee: Committee;
  readonly signer: Signer;
  /** Defaults to round-robin (PBFT §4.1). */
  readonly selector?: PrimarySelector;
  /** Lane and fee of a request, for fair batching and eviction; defaults to one lane without fees. */
  readonly classify?: RequestClassifier;
  /** The most request weight a batch holds (a block's gas); unbounded by default. */
  readonly maxBatchWeight?: bigint;
  /** SE-Random (CONSENSUS.md §8): primaries drawn from the beacon; round-robin without it. */
  readonly beacon?: BeaconKeys;
}

export interface ReplicaCore {
  readonly env: ReplicaEnv;
  /** A fresh replica at genesis; arm `armedTimers(state)`. */
  init(): ReplicaState;
  step(state: ReplicaState, input: Input): StepResult;
  /** Rebuild the state from the persisted records; then arm `armedTimers(state)`. */
  restore(log: readonly PersistRecord[]): ReplicaState;
  /**
   * The signed BLOCKS answer to a `serve` request: consecutive stored blocks from its `fromSeq`
   * (TOCS §5.3 state transfer by block replay). Nothing to send for no blocks.
   */
  blocksReply(to: ReplicaId, blocks: readonly CommittedBlock[]): Outbound | undefined;
  /** The proposer of the next block (round-robin or drawn), and the SE-Random epoch if it runs. */
  leader(state: ReplicaState): {
    readonly primary: ReplicaId;
    readonly epoch: EpochView | undefined;
    /** What contracts read as the beacon in the next block (0x5e0a). */
    readonly randomness: Randomness | undefined;
  };
}

/** Above any sum of u64 weights a batch of requests can reach. */
const UNBOUNDED_WEIGHT = 1n << 128n;

export function createReplica(options: ReplicaOptions): ReplicaCore {
  const env: ReplicaEnv = {
    committee: options.committee,
    signer: options.signer,
    selector: options.selector ?? roundRobin(options.committee.n),
    classify: options.classify ?? unclassified,
    maxBatchWeight: options.maxBatchWeight ?? UNBOUNDED_WEIGHT,
    beacon: options.beacon,
  };
  if (env.signer.id < 0 || env.signer.id >= env.committee.n) {
    throw new RangeError("signer is not a validator");
  }
  const init = (): ReplicaState => {
    const state = initialState(env.signer.id);
    if (env.beacon !== undefined) {
      state.epoch = firstEpoch(env.committee);
    }
    reconcileTimers(newCtx(env, state));
    return state;
  };
  const run = (state: ReplicaState, input: Input, replaying: boolean): StepResult => {
    const ctx = newCtx(env, state);
    apply(ctx, input);
    if (ctx.rejected === undefined) {
      // A refused input is not persisted, so it must change nothing: the share waits for the next input.
      sendShareIfDue(ctx);
      afterSeal(ctx);
    }
    const timers = reconcileTimers(ctx);
    const persist: PersistRecord[] = [];
    if (ctx.rejected === undefined) {
      persist.push({ type: "input", input });
      if (ctx.snapshot && !replaying) {
        persist.push({ type: "snapshot", state: structuredClone(state) });
      }
    }
    return {
      state,
      send: ctx.send,
      persist,
      timers,
      committed: ctx.committed,
      serve: ctx.serve,
      rejected: ctx.rejected,
    };
  };
  return {
    env,
    init,
    step: (state, input) => run(state, input, false),
    restore(log) {
      let start = 0;
      let state: ReplicaState | undefined;
      for (let i = log.length - 1; i >= 0; i--) {
        const record = log[i] as PersistRecord;
        if (record.type === "snapshot") {
          state = structuredClone(record.state);
          start = i + 1;
          break;
        }
      }
      state ??= init();
      for (let i = start; i < log.length; i++) {
        const record = log[i] as PersistRecord;
        if (record.type === "input") {
          run(state, record.input, true);
        }
      }
      return state;
    },
    leader(state) {
      const ctx = newCtx(env, state);
      const epoch = epochView(ctx);
      return { primary: epoch?.primary ?? env.selector.primary(state.view), epoch, randomness: randomnessOf(state) };
    },
    blocksReply(to, blocks) {
      if (blocks.length === 0) {
        return undefined;
      }
      const message = { type: "blocks", certificates: blocks.map((b) => b.certificate) } as const;
      const sealed = seal(
        message,
        blocks.map((b) => b.batch),
        env.signer,
        env.committee,
      );
      return { to, type: "blocks", bytes: sealed.bytes };
    },
  };
}

function apply(ctx: Ctx, input: Input): void {
  switch (input.type) {
    case "message": {
      dispatch(ctx, input.envelope);
      return;
    }
    case "request": {
      onClientRequest(ctx, input.request);
      return;
    }
    case "drop": {
      onDrop(ctx, input.requests);
      return;
    }
    case "timer": {
      onTimer(ctx, input.timer);
      return;
    }
    case "executed": {
      onExecuted(ctx, input.seq, input.stateRoot);
      return;
    }
  }
}

function dispatch(ctx: Ctx, e: Verified): void {
  // Our own messages never need to come back to us; a peer echoing them is replaying.
  if (e.from === ctx.state.id) {
    reject(ctx, "own message");
    return;
  }
  switch (e.message.type) {
    case "pre-prepare": {
      onPrePrepare(ctx, e as Verified<PrePrepare>);
      return;
    }
    case "prepare": {
      onPrepare(ctx, e as Verified<Prepare>);
      return;
    }
    case "commit": {
      onCommit(ctx, e as Verified<Commit>);
      return;
    }
    case "checkpoint": {
      onCheckpoint(ctx, e as Verified<Checkpoint>);
      return;
    }
    case "view-change": {
      onViewChange(ctx, e as Verified<ViewChange>, dispatch);
      return;
    }
    case "new-view": {
      onNewView(ctx, e as Verified<NewView>, dispatch);
      return;
    }
    case "request": {
      onForwardRequest(ctx, e as Verified<ForwardRequest>);
      return;
    }
    case "status": {
      onStatus(ctx, e as Verified<Status>);
      return;
    }
    case "fetch-blocks": {
      onFetchBlocks(ctx, e as Verified<FetchBlocks>);
      return;
    }
    case "blocks": {
      onBlocks(ctx, e as Verified<Blocks>);
      return;
    }
    case "share": {
      if (onShare(ctx, e as Verified<Share>)) {
        proposeReady(ctx, false);
      }
      return;
    }
  }
}

/**
 * After an epoch was sealed (CONSENSUS.md §8.4: a scheduled rotation, no view change): pre-prepares
 * that waited for the new epoch's draw are checked now, and its first proposer starts.
 */
function afterSeal(ctx: Ctx): void {
  while (ctx.sealed) {
    ctx.sealed = false;
    replayFuture(ctx, dispatch);
    proposeReady(ctx, false);
  }
}

/** PBFT §4.5.2 timer expiries; events not matching the armed timer of their kind are stale. */
function onTimer(ctx: Ctx, t: { kind: TimerKind; view: number; seq: number }): void {
  const s = ctx.state;
  const armed = s.timers.get(t.kind);
  if (armed === undefined || !sameTimer(armed, t)) {
    reject(ctx, "stale timer");
    return;
  }
  s.timers.delete(t.kind);
  switch (t.kind) {
    case "batch": {
      proposeReady(ctx, true);
      return;
    }
    case "view":
    case "view-change": {
      startViewChange(ctx, s.view + 1, dispatch);
      return;
    }
    case "status": {
      onStatusTick(ctx);
      return;
    }
  }
}

/** A backup is "waiting" while it holds a request or an accepted batch that has not committed (PBFT §4.5.2). */
function waiting(ctx: Ctx): boolean {
  const s = ctx.state;
  if (s.pool.size > 0 || awaitingSeal(ctx)) {
    return true;
  }
  for (const slot of s.slots.values()) {
    if (slot.seq > s.lastCommitted && slot.view === s.view && slot.prePrepare !== undefined) {
      return true;
    }
  }
  return false;
}

/** The timers the state calls for; derived, so arming is idempotent and survives restore. */
function desiredTimers(ctx: Ctx): Map<TimerKind, ArmedTimer> {
  const s = ctx.state;
  const p = ctx.env.committee.params;
  const out = new Map<TimerKind, ArmedTimer>();
  out.set("status", { kind: "status", view: 0, seq: s.statusRound, after: p.statusInterval });
  const timeout = viewTimeout(p.viewTimeout, p.maxViewTimeout, s.viewChangeAttempts);
  if (s.active) {
    if (isProposer(ctx)) {
      if (s.nextSeq <= s.stable.seq + p.watermarkWindow && hasUnproposed(ctx)) {
        out.set("batch", { kind: "batch", view: s.view, seq: s.nextSeq, after: p.batchTimeout });
      }
    } else if (waiting(ctx)) {
      // Restarted on progress: the key changes with lastCommitted.
      out.set("view", { kind: "view", view: s.view, seq: s.lastCommitted, after: timeout });
    }
  } else if (s.viewChangeQuorum) {
    // Started only once 2f + 1 replicas wanted this view, so one slow replica cannot push views up alone.
    out.set("view-change", { kind: "view-change", view: s.view, seq: 0, after: timeout });
  }
  return out;
}

function reconcileTimers(ctx: Ctx): TimerCommand[] {
  const s = ctx.state;
  const want = desiredTimers(ctx);
  const commands: TimerCommand[] = [];
  for (const kind of TIMER_KINDS) {
    const have = s.timers.get(kind);
    const next = want.get(kind);
    if (next !== undefined && (have === undefined || !sameTimer(have, next))) {
      s.timers.set(kind, next);
      commands.push({ op: "set", timer: next });
    } else if (next === undefined && have !== undefined) {
      s.timers.delete(kind);
      commands.push({ op: "cancel", kind });
    }
  }
  return commands;
}

/** The timers to arm after `init` or `restore`. */
export function armedTimers(state: ReplicaState): ArmedTimer[] {
  return [...state.timers.values()];
}
