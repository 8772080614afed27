/**
 * The validator set and protocol parameters, fixed by the genesis config.
 *
 * PBFT §3: n = 3f + 1 replicas tolerate f Byzantine faults. Quorums are 2f + 1
 * (any two intersect in at least one correct replica) and f + 1 is the
 * smallest set guaranteed to contain a correct replica.
 */
import { ByteWriter } from "../codec/writer.ts";
import { LIMITS } from "./batch.ts";
import { type Digest, hashTagged } from "./hash.ts";
import { writeU64 } from "./wire.ts";

export type ReplicaId = number;

export const PUBLIC_KEY_BYTES = 32;
export const MAX_VALIDATORS = 1024;

export interface ConsensusParams {
  /** K: a checkpoint is taken after every K-th sequence number (PBFT §4.3). */
  readonly checkpointInterval: number;
  /** L: sequence numbers accepted are in (h, h + L], h = last stable checkpoint (PBFT §4.2). A multiple of K, at least 2K. */
  readonly watermarkWindow: number;
  /** The primary closes a batch at this many requests ... */
  readonly maxBatchRequests: number;
  /** ... or this many request bytes, whichever comes first (PBFT §5.1 batching). */
  readonly maxBatchBytes: number;
  /** Largest single request accepted into the pool. */
  readonly maxRequestBytes: number;
  /** A partial batch is proposed this long after its first request arrived (time units of the shell). */
  readonly batchTimeout: number;
  /** T of PBFT §4.5.2: the view-change timer; doubled on each consecutive view change. */
  readonly viewTimeout: number;
  /** Upper bound of the doubled view timer. */
  readonly maxViewTimeout: number;
  /** Period of status messages, which drive retransmission and state transfer. */
  readonly statusInterval: number;
  /** Committed blocks (with commit certificates) kept to serve state transfer. */
  readonly blockRetention: number;
  /** Pending client requests held per replica; more are refused. */
  readonly maxPoolRequests: number;
  /** ... and their bytes; when either bound is reached a request paying a higher fee rate evicts the lowest. */
  readonly maxPoolBytes: number;
  /** Blocks per state-transfer response. */
  readonly maxBlocksPerResponse: number;
  /** Blocks per SE-Random epoch: the beacon is sealed, and primaries redrawn, every this many blocks (CONSENSUS.md §8). */
  readonly epochLength: number;
}

export interface Genesis {
  readonly chainId: string;
  /** ed25519 public keys, in replica-id order: replica i signs with validators[i]. */
  readonly validators: readonly Uint8Array[];
  readonly params: ConsensusParams;
  /** Each validator's weight in the primary draw (CONSENSUS.md §8.4), in replica-id order; equal when absent. */
  readonly stakes?: readonly bigint[];
}

/** What every replica derives from genesis; never changes at run time. */
export interface Committee {
  readonly n: number;
  readonly f: number;
  /** 2f + 1 */
  readonly quorum: number;
  /** f + 1 */
  readonly weakQuorum: number;
  readonly params: ConsensusParams;
  readonly validators: readonly Uint8Array[];
  /** Positive draw weights, one per validator (Genesis.stakes, or 1 each). */
  readonly stakes: readonly bigint[];
  /** Mixed into every signature so messages of one chain never verify on another. */
  readonly genesisHash: Digest;
}

export const DEFAULT_PARAMS: ConsensusParams = {
  checkpointInterval: 16,
  watermarkWindow: 64,
  maxBatchRequests: 256,
  maxBatchBytes: 1 << 20,
  maxRequestBytes: 64 << 10,
  batchTimeout: 20,
  viewTimeout: 2_000,
  maxViewTimeout: 60_000,
  statusInterval: 1_000,
  blockRetention: 128,
  maxPoolRequests: 10_000,
  maxPoolBytes: 16 << 20,
  maxBlocksPerResponse: 32,
  epochLength: 16,
};

/** Stakes are u64: their sum over MAX_VALIDATORS stays far below the 2^256 range of a draw (draw.ts). */
const MAX_STAKE = (1n << 64n) - 1n;

export class GenesisError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "GenesisError";
    this.code = code;
  }
}

function positiveInt(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new GenesisError("bad_param", `${name} must be a positive integer`);
  }
}

export function committeeFromGenesis(genesis: Genesis): Committee {
  const n = genesis.validators.length;
  if (n < 4 || n > MAX_VALIDATORS || (n - 1) % 3 !== 0) {
    throw new GenesisError("bad_validator_count", `n = ${n}: PBFT needs n = 3f + 1 with f >= 1`);
  }
  const seen = new Set<string>();
  for (const [i, key] of genesis.validators.entries()) {
    if (key.length !== PUBLIC_KEY_BYTES) {
      throw new GenesisError("bad_key", `validator ${i}: key must be 32 bytes`);
    }
    const hex = Array.from(key, (b) => b.toString(16).padStart(2, "0")).join("");
    if (seen.has(hex)) {
      throw new GenesisError("duplicate_key", `validator ${i}: duplicate key`);
    }
    seen.add(hex);
  }
  const p = genesis.params;
  for (const [name, value] of Object.entries(p)) {
    positiveInt(name, value as number);
  }
  if (p.watermarkWindow % p.checkpointInterval !== 0 || p.watermarkWindow < 2 * p.checkpointInterval) {
    // PBFT §4.3: L must let the primary keep proposing while the next checkpoint becomes stable.
    throw new GenesisError(
      "bad_param",
      "watermarkWindow must be a multiple of checkpointInterval and at least twice it",
    );
  }
  if (p.maxRequestBytes > LIMITS.maxRequestBytes || p.maxBatchBytes > LIMITS.maxBatchBytes) {
    throw new GenesisError("bad_param", "request/batch byte limits exceed the protocol limits");
  }
  if (p.maxBatchRequests > LIMITS.maxBatchRequests) {
    throw new GenesisError("bad_param", "maxBatchRequests too large");
  }
  if (p.maxPoolBytes < p.maxRequestBytes) {
    throw new GenesisError("bad_param", "maxPoolBytes < maxRequestBytes");
  }
  if (p.maxViewTimeout < p.viewTimeout) {
    throw new GenesisError("bad_param", "maxViewTimeout < viewTimeout");
  }
  if (p.blockRetention < p.watermarkWindow) {
    throw new GenesisError("bad_param", "blockRetention < watermarkWindow");
  }
  if (p.epochLength < 2) {
    // The sealing block carries only the shares (CONSENSUS.md §8.2): an epoch of one block would hold no transactions.
    throw new GenesisError("bad_param", "epochLength must be at least 2");
  }
  if (p.maxBlocksPerResponse > 256) {
    throw new GenesisError("bad_param", "maxBlocksPerResponse > 256");
  }
  const stakes = stakesOf(genesis);
  if (stakes.length !== n || stakes.some((s) => s < 1n || s > MAX_STAKE)) {
    throw new GenesisError("bad_stake", "one per validator, each from 1 to 2^64 - 1");
  }
  const f = (n - 1) / 3;
  return {
    n,
    f,
    quorum: 2 * f + 1,
    weakQuorum: f + 1,
    params: p,
    validators: genesis.validators,
    stakes,
    genesisHash: genesisHash(genesis),
  };
}

function stakesOf(genesis: Genesis): readonly bigint[] {
  return genesis.stakes ?? genesis.validators.map(() => 1n);
}

/** Canonical encoding of the genesis config; its hash identifies the chain. */
export function genesisHash(genesis: Genesis): Digest {
  const w = new ByteWriter();
  w.varBytes(new TextEncoder().encode(genesis.chainId));
  w.u16(genesis.validators.length);
  for (const key of genesis.validators) {
    w.bytes(key);
  }
  const p = genesis.params;
  for (const value of [
    p.checkpointInterval,
    p.watermarkWindow,
    p.maxBatchRequests,
    p.maxBatchBytes,
    p.maxRequestBytes,
    p.batchTimeout,
    p.viewTimeout,
    p.maxViewTimeout,
    p.statusInterval,
    p.blockRetention,
    p.maxPoolRequests,
    p.maxBlocksPerResponse,
    p.maxPoolBytes,
    p.epochLength,
  ]) {
    writeU64(w, value);
  }
  for (const stake of stakesOf(genesis)) {
    w.uint(stake, 8);
  }
  return hashTagged("genesis", w.finish());
}
