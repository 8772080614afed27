/**
 * The replica's state: plain data (Maps, arrays, Uint8Arrays, numbers), so it
 * is structured-clonable for snapshots (persist.ts). `step` updates it in
 * place and returns it; a caller hands the state to `step` and uses only the
 * returned one afterwards, like etcd raft's `Step`.
 */
import type { Batch } from "./batch.ts";
import type { EpochBeacon } from "./beacon.ts";
import type { ReplicaId } from "./committee.ts";
import type { Verified } from "./envelope.ts";
import type { EpochState } from "./epoch.ts";
import { type Digest, hashTagged } from "./hash.ts";
import type {
  Checkpoint,
  Commit,
  NewView,
  PrePrepare,
  Prepare,
  PreparedCertificate,
  Signed,
  ViewChange,
} from "./messages.ts";
import type { ArmedTimer, TimerKind } from "./timers.ts";

/** A delivered block's place in the chain: what the core keeps of it (CONSENSUS.md §3.7). */
export interface BlockHeader {
  readonly seq: number;
  readonly view: number;
  readonly digest: Digest;
  /** Hash chain over all blocks up to and including this one. */
  readonly chainHash: Digest;
  /** seq is a multiple of K: the shell must report the application's state root (`executed` input). */
  readonly checkpoint: boolean;
}

/**
 * A block this replica committed, with the certificate that proves it to anyone (PBFT §4.3
 * committed-local). The core hands it out once; the shell keeps it in its block store.
 */
export interface CommittedBlock extends BlockHeader {
  readonly batch: Batch;
  /** 2f + 1 COMMITs for (view, seq, digest) from distinct replicas. */
  readonly certificate: readonly Signed<Commit>[];
  /** Set on a sealing block: the epoch's beacon with its shares, checkable offline (CONSENSUS.md §8.2). */
  readonly beacon?: EpochBeacon;
  /** SE-Random: the beacon in force when this block was ordered, the same at every replica. */
  readonly randomness?: Randomness;
}

/**
 * The beacon contracts read (PROTOCOL.md §10.5, 0x5e0a): how many epochs were sealed before the block,
 * and the last one's beacon (the genesis beacon while none is).
 */
export interface Randomness {
  readonly sealed: number;
  readonly beacon: Digest;
}

export interface StableCheckpoint {
  readonly seq: number;
  readonly chainHash: Digest;
  readonly stateRoot: Digest;
  /** 2f + 1 matching signed CHECKPOINTs (empty for the genesis checkpoint 0). */
  readonly proof: readonly Signed<Checkpoint>[];
}

/**
 * This replica's own view of checkpoint `seq` contradicts what 2f + 1 replicas
 * certified there (CONSENSUS.md §3.3): its ledger computed another state root,
 * or it delivered another chain. It no longer signs CHECKPOINTs; the shell
 * stops executing and answering from its ledger (OPERATING.md "Diverged replica").
 */
export interface Divergence {
  readonly seq: number;
  readonly field: "chainHash" | "stateRoot";
  readonly own: Digest;
  readonly certified: Digest;
}

/** What 2f + 1 replicas certified at a stable checkpoint, kept until this replica executes that height. */
export interface CertifiedState {
  readonly chainHash: Digest;
  readonly stateRoot: Digest;
}

/** The log entry for one sequence number (PBFT §4.2 "the message log"). */
export interface Slot {
  readonly seq: number;
  /** The view the pre-prepare, prepares and commits below belong to. */
  view: number;
  prePrepare: { readonly signed: Signed<PrePrepare>; readonly batch: Batch } | undefined;
  prepares: Map<ReplicaId, Signed<Prepare>>;
  commits: Map<ReplicaId, Signed<Commit>>;
  /** We sent COMMIT for (view, seq): never send another in this view. */
  sentCommit: boolean;
  /** Prepared certificate of the highest view in which this replica prepared seq (kept across views for P). */
  prepared: { readonly cert: PreparedCertificate; readonly batch: Batch } | undefined;
  /** Set once committed-local (prepared and 2f + 1 matching commits, PBFT §4.3); view-independent. */
  commit: SlotCommit | undefined;
}

export interface SlotCommit {
  readonly view: number;
  readonly digest: Digest;
  readonly batch: Batch;
  readonly certificate: readonly Signed<Commit>[];
}

export interface PoolEntry {
  readonly request: Uint8Array;
  /** Status round in which the request arrived or was last re-forwarded. */
  round: number;
  /** The source the request is attributed to: batches take lanes round-robin (CONSENSUS.md §3.1). */
  readonly lane: string;
  /** What the request pays; per byte, its rank in a round and against eviction. */
  readonly fee: bigint;
  /** Its share of a batch's weight budget (RequestClass.weight). */
  readonly weight: bigint;
}

export interface ReplicaState {
  readonly id: ReplicaId;
  /** The current view, or the view being changed to while `active` is false (PBFT §4.4). */
  view: number;
  /** false between sending VIEW-CHANGE for `view` and accepting its NEW-VIEW. */
  active: boolean;
  /**
   * 2f + 1 VIEW-CHANGEs for `view` were seen while inactive: the view-change timer runs until NEW-VIEW,
   * even if some of those senders later move on to a higher view (PBFT §4.5.2).
   */
  viewChangeQuorum: boolean;
  /** Consecutive view changes without progress: the view timer is T * 2^attempts (PBFT §4.5.2). */
  viewChangeAttempts: number;
  /** Primary only: the next sequence number to assign. */
  nextSeq: number;
  /** Highest sequence number delivered in order (executed). */
  lastCommitted: number;
  chainHash: Digest;
  /** h, the low watermark (PBFT §4.3). */
  stable: StableCheckpoint;
  slots: Map<number, Slot>;
  checkpointVotes: Map<number, Map<ReplicaId, Signed<Checkpoint>>>;
  /** Delivered checkpoint heights waiting for the application's state root, with our chain hash there. */
  pendingCheckpoints: Map<number, Digest>;
  viewChanges: Map<number, Map<ReplicaId, Verified<ViewChange>>>;
  /** Our VIEW-CHANGE for `view` while inactive, kept for retransmission. */
  ownViewChange: Verified<ViewChange> | undefined;
  /** The NEW-VIEW that started the current view, kept for replicas that missed it. */
  newView: Verified<NewView> | undefined;
  /** Pending client requests by request digest, in arrival order. */
  pool: Map<string, PoolEntry>;
  /** Requests the primary of the current view has put in a batch not yet committed. */
  proposed: Set<string>;
  /** Recently committed request digests, to refuse them in the pool. */
  committedRequests: Map<string, number>;
  /**
   * Headers of the last `blockRetention` delivered blocks. Bodies (batches, certificates) live in
   * the shell's block store, so a snapshot's size does not grow with block size (CONSENSUS.md §3.7).
   */
  chain: Map<number, BlockHeader>;
  timers: Map<TimerKind, ArmedTimer>;
  /** Normal-case messages for a view we have not entered yet, replayed when we do. */
  future: Verified[];
  statusRound: number;
  /** lastCommitted at the previous status round; equal means we made no progress for a whole round. */
  progressMark: number;
  fetchRound: number;
  /** Set at each status tick: no block was delivered during the whole previous round. */
  stalled: boolean;
  /** Set when a stable checkpoint contradicts this replica's own chain hash or state root there. */
  diverged: Divergence | undefined;
  /** Stable checkpoints adopted before this replica executed their height, compared when it does (bounded). */
  certifiedAhead: Map<number, CertifiedState>;
  /** SE-Random (CONSENSUS.md §8): the epoch of the next block to deliver; undefined under round-robin. */
  epoch: EpochState | undefined;
  /** Verified shares of that epoch's beacon held here: our own once due, and those sent to us as proposer. */
  shares: Map<ReplicaId, Uint8Array>;
  /** When we last sent our share of the current epoch (re-sent each status round and view until sealed). */
  shareSent: { readonly view: number; readonly round: number } | undefined;
}

export const GENESIS_CHAIN_HASH: Digest = hashTagged("chain-genesis");
export const GENESIS_STATE_ROOT: Digest = new Uint8Array(32);

export function initialState(id: ReplicaId): ReplicaState {
  return {
    id,
    view: 0,
    active: true,
    viewChangeQuorum: false,
    viewChangeAttempts: 0,
    nextSeq: 1,
    lastCommitted: 0,
    chainHash: GENESIS_CHAIN_HASH,
    stable: { seq: 0, chainHash: GENESIS_CHAIN_HASH, stateRoot: GENESIS_STATE_ROOT, proof: [] },
    slots: new Map(),
    checkpointVotes: new Map(),
    pendingCheckpoints: new Map(),
    viewChanges: new Map(),
    ownViewChange: undefined,
    newView: undefined,
    pool: new Map(),
    proposed: new Set(),
    committedRequests: new Map(),
    chain: new Map(),
    timers: new Map(),
    future: [],
    statusRound: 0,
    progressMark: 0,
    fetchRound: -1,
    stalled: false,
    diverged: undefined,
    certifiedAhead: new Map(),
    epoch: undefined,
    shares: new Map(),
    shareSent: undefined,
  };
}

/** The log entry for seq, reset to `view` if it holds an older view's messages (prepared certificate kept). */
export function slotFor(state: ReplicaState, seq: number, view: number): Slot {
  let slot = state.slots.get(seq);
  if (slot === undefined) {
    slot = {
      seq,
      view,
      prePrepare: undefined,
      prepares: new Map(),
      commits: new Map(),
      sentCommit: false,
      prepared: undefined,
      commit: undefined,
    };
    state.slots.set(seq, slot);
  } else if (slot.view < view) {
    slot.view = view;
    slot.prePrepare = undefined;
    slot.prepares = new Map();
    slot.commits = new Map();
    slot.sentCommit = false;
  }
  return slot;
}

export function chainHashAfter(prev: Digest, seq: number, digest: Digest): Digest {
  const s = new Uint8Array(8);
  new DataView(s.buffer).setBigUint64(0, BigInt(seq));
  return hashTagged("chain", prev, s, digest);
}
