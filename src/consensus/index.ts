/** SERO Edge consensus: PBFT (Castro & Liskov) as a pure state machine. See docs/CONSENSUS.md. */
export { type Batch, batchDigest, LIMITS, NULL_DIGEST, requestDigest } from "./batch.ts";
export type { RequestClass, RequestClassifier } from "./batching.ts";
export {
  type BeaconKeys,
  type BeaconShare,
  beaconAlpha,
  deriveBeacon,
  type EpochBeacon,
  ecvrfBeaconKeys,
  genesisBeacon,
} from "./beacon.ts";
export {
  type Committee,
  type ConsensusParams,
  committeeFromGenesis,
  DEFAULT_PARAMS,
  type Genesis,
  GenesisError,
  genesisHash,
  type ReplicaId,
} from "./committee.ts";
export type { BlockRequest, Outbound, ReplicaEnv } from "./context.ts";
export { drawOrder } from "./draw.ts";
export { decodeEnvelope, encodeEnvelope, encodeSignedPart, signingPayload } from "./encoding.ts";
export {
  type BoundaryContext,
  type OpenResult,
  openEnvelope,
  type RejectCode,
  seal,
  signMessage,
  type Verified,
} from "./envelope.ts";
export type { EpochState, EpochView } from "./epoch.ts";
export { type Digest, digestKey, hashTagged } from "./hash.ts";
export * from "./messages.ts";
export type { Input, PersistRecord } from "./persist.ts";
export { type PrimarySelector, roundRobin } from "./primary.ts";
export { armedTimers, createReplica, type ReplicaCore, type ReplicaOptions, type StepResult } from "./replica.ts";
export { type CommitNotice, type ConfirmedRequest, checkCommitProof, ReplyQuorum } from "./replies.ts";
export { transactionsOf } from "./seal.ts";
export {
  isolateSignatureMemo,
  isolateVerifier,
  rememberingSigner,
  rememberingVerifier,
  SignatureMemo,
} from "./signature-memo.ts";
export { ed25519PublicKey, ed25519Signer, ed25519Verifier, type Signer, type Verifier } from "./signing.ts";
export type {
  BlockHeader,
  CommittedBlock,
  Divergence,
  Randomness,
  ReplicaState,
  StableCheckpoint,
} from "./state.ts";
export type { ArmedTimer, TimerCommand, TimerEvent, TimerKind } from "./timers.ts";
