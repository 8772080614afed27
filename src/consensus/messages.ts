/**
 * The consensus messages as domain types: a discriminated union, one canonical
 * encoding each (see encoding.ts), and `validateBasic` for the stateless rules.
 * Rules that need the committee (quorum sizes, who is primary) live in
 * certificates.ts; rules that need replica state live in the handlers.
 *
 * Names and fields follow Castro & Liskov (OSDI'99 §4, TOCS'02 §4):
 *   PRE-PREPARE ⟨v, n, d⟩, PREPARE ⟨v, n, d, i⟩, COMMIT ⟨v, n, d, i⟩,
 *   CHECKPOINT ⟨n, d, i⟩, VIEW-CHANGE ⟨v+1, n, C, P, i⟩, NEW-VIEW ⟨v+1, V, O⟩.
 * The batch travels next to the signed PRE-PREPARE, not inside it (§4.2: "m"
 * is piggybacked; the signature covers the digest d), which lets certificates
 * carry digests only.
 */
import { type Batch, batchDigest, LIMITS } from "./batch.ts";
import type { ReplicaId } from "./committee.ts";
import { DIGEST_BYTES, type Digest, digestsEqual } from "./hash.ts";
import { VRF_PROOF_BYTES } from "./vrf.ts";

export interface PrePrepare {
  readonly type: "pre-prepare";
  readonly view: number;
  readonly seq: number;
  readonly digest: Digest;
}

export interface Prepare {
  readonly type: "prepare";
  readonly view: number;
  readonly seq: number;
  readonly digest: Digest;
}

export interface Commit {
  readonly type: "commit";
  readonly view: number;
  readonly seq: number;
  readonly digest: Digest;
}

/** PBFT §4.3, with the state digest split in two: the chain of ordered batches and the application's state root. */
export interface Checkpoint {
  readonly type: "checkpoint";
  readonly seq: number;
  readonly chainHash: Digest;
  readonly stateRoot: Digest;
}

/** A pre-prepare plus 2f matching prepares from distinct backups (PBFT §4.2 "prepared"). */
export interface PreparedCertificate {
  readonly prePrepare: Signed<PrePrepare>;
  readonly prepares: readonly Signed<Prepare>[];
}

/** PBFT §4.4: ⟨VIEW-CHANGE, v+1, n, C, P, i⟩. The batches of P travel as attachments. */
export interface ViewChange {
  readonly type: "view-change";
  readonly newView: number;
  /** n: sequence number of the sender's last stable checkpoint. */
  readonly stableSeq: number;
  /** C: 2f + 1 checkpoint messages proving `stableSeq` stable (empty at the genesis checkpoint 0). */
  readonly checkpointProof: readonly Signed<Checkpoint>[];
  /** P: for each n above the stable checkpoint, the prepared certificate of the highest view. */
  readonly prepared: readonly PreparedCertificate[];
}

/** PBFT §4.4: ⟨NEW-VIEW, v+1, V, O⟩. Batches of the non-null entries of O travel as attachments. */
export interface NewView {
  readonly type: "new-view";
  readonly view: number;
  readonly viewChanges: readonly Signed<ViewChange>[];
  readonly prePrepares: readonly Signed<PrePrepare>[];
}

/** A client request relayed between replicas so that every potential primary holds it (PBFT §4.1/§4.5.2). */
export interface ForwardRequest {
  readonly type: "request";
  readonly request: Uint8Array;
}

/** SE-Random: a validator's VRF share of an epoch's beacon, sent to the proposer of the sealing block (CONSENSUS.md §8.2). */
export interface Share {
  readonly type: "share";
  readonly epoch: number;
  readonly proof: Uint8Array;
}

/** Periodic summary; a peer that sees it behind retransmits what it needs (PBFT §5.2 status messages). */
export interface Status {
  readonly type: "status";
  readonly view: number;
  readonly active: boolean;
  readonly lastCommitted: number;
  readonly stableSeq: number;
}

/** State transfer (PBFT §5.3, simplified to block replay): ask for committed blocks in [fromSeq, toSeq]. */
export interface FetchBlocks {
  readonly type: "fetch-blocks";
  readonly fromSeq: number;
  readonly toSeq: number;
}

/** Committed blocks, each proven by a commit certificate: 2f + 1 COMMITs for (v, n, d). Batches are attached. */
export interface Blocks {
  readonly type: "blocks";
  readonly certificates: readonly (readonly Signed<Commit>[])[];
}

export type Message =
  | PrePrepare
  | Prepare
  | Commit
  | Checkpoint
  | ViewChange
  | NewView
  | ForwardRequest
  | Status
  | FetchBlocks
  | Blocks
  | Share;

export type MessageType = Message["type"];

/** A message with its sender and the sender's signature over its canonical encoding. */
export interface Signed<M extends Message = Message> {
  readonly from: ReplicaId;
  readonly message: M;
  readonly signature: Uint8Array;
}

/** What travels on a link: a signed message plus unsigned batches, each bound by a signed digest. */
export interface Envelope<M extends Message = Message> extends Signed<M> {
  readonly batches: readonly Batch[];
}

export const MAX_CERT_ENTRIES = 4096;
export const MAX_QUORUM_ENTRIES = 1024;
export const MAX_BLOCKS_PER_MESSAGE = 256;

function isCount(n: number, min: number): boolean {
  return Number.isSafeInteger(n) && n >= min;
}

function isDigest(d: Uint8Array): boolean {
  return d instanceof Uint8Array && d.length === DIGEST_BYTES;
}

function ascendingSenders(items: readonly Signed[]): boolean {
  for (let i = 1; i < items.length; i++) {
    if ((items[i] as Signed).from <= (items[i - 1] as Signed).from) {
      return false;
    }
  }
  return true;
}

function sameSlot(a: { view: number; seq: number; digest: Digest }, b: { view: number; seq: number; digest: Digest }) {
  return a.view === b.view && a.seq === b.seq && digestsEqual(a.digest, b.digest);
}

/**
 * Stateless validity of a message: ranges, shapes, and the canonical ordering
 * of every list (senders ascending, sequence numbers ascending), so that one
 * value has one encoding. Returns a reason, or undefined when valid.
 */
export function validateBasic(m: Message): string | undefined {
  switch (m.type) {
    case "pre-prepare":
    case "prepare":
    case "commit":
      if (!isCount(m.view, 0) || !isCount(m.seq, 1)) {
        return "view must be >= 0 and seq >= 1";
      }
      return isDigest(m.digest) ? undefined : "bad digest";
    case "checkpoint":
      if (!isCount(m.seq, 1)) {
        return "checkpoint seq must be >= 1";
      }
      return isDigest(m.chainHash) && isDigest(m.stateRoot) ? undefined : "bad checkpoint digest";
    case "view-change":
      return validateViewChange(m);
    case "new-view":
      return validateNewView(m);
    case "request":
      if (m.request.length === 0 || m.request.length > LIMITS.maxRequestBytes) {
        return "request size out of range";
      }
      return undefined;
    case "status":
      if (!isCount(m.view, 0) || !isCount(m.lastCommitted, 0) || !isCount(m.stableSeq, 0)) {
        return "bad status";
      }
      return undefined;
    case "fetch-blocks":
      if (!isCount(m.fromSeq, 1) || !isCount(m.toSeq, m.fromSeq)) {
        return "bad range";
      }
      return m.toSeq - m.fromSeq < MAX_BLOCKS_PER_MESSAGE ? undefined : "range too long";
    case "blocks":
      return validateBlocks(m);
    case "share":
      if (!isCount(m.epoch, 0)) {
        return "bad epoch";
      }
      return m.proof.length === VRF_PROOF_BYTES ? undefined : "share proof must be 80 bytes";
  }
}

function validateViewChange(m: ViewChange): string | undefined {
  if (!isCount(m.newView, 1) || !isCount(m.stableSeq, 0)) {
    return "bad view or stable seq";
  }
  if ((m.stableSeq === 0) !== (m.checkpointProof.length === 0)) {
    return "checkpoint proof required iff stableSeq > 0";
  }
  if (m.checkpointProof.length > MAX_QUORUM_ENTRIES || m.prepared.length > MAX_CERT_ENTRIES) {
    return "too many entries";
  }
  if (!ascendingSenders(m.checkpointProof)) {
    return "checkpoint proof not in sender order";
  }
  const first = m.checkpointProof[0];
  for (const c of m.checkpointProof) {
    const why = validateBasic(c.message);
    if (why !== undefined) {
      return `checkpoint proof: ${why}`;
    }
    if (c.message.seq !== m.stableSeq) {
      return "checkpoint proof for another seq";
    }
    if (
      first !== undefined &&
      (!digestsEqual(c.message.chainHash, first.message.chainHash) ||
        !digestsEqual(c.message.stateRoot, first.message.stateRoot))
    ) {
      return "checkpoint proof does not match";
    }
  }
  let lastSeq = m.stableSeq;
  for (const cert of m.prepared) {
    const why = validatePreparedShape(cert);
    if (why !== undefined) {
      return why;
    }
    const pp = cert.prePrepare.message;
    if (pp.seq <= lastSeq) {
      return "prepared certificates not in ascending seq order above the checkpoint";
    }
    if (pp.view >= m.newView) {
      return "prepared certificate from a view not before the new view";
    }
    lastSeq = pp.seq;
  }
  return undefined;
}

export function validatePreparedShape(cert: PreparedCertificate): string | undefined {
  const pp = cert.prePrepare.message;
  const why = validateBasic(pp);
  if (why !== undefined) {
    return `pre-prepare: ${why}`;
  }
  if (cert.prepares.length > MAX_QUORUM_ENTRIES) {
    return "too many prepares";
  }
  if (!ascendingSenders(cert.prepares)) {
    return "prepares not in sender order";
  }
  for (const p of cert.prepares) {
    if (validateBasic(p.message) !== undefined || !sameSlot(p.message, pp)) {
      return "prepare does not match pre-prepare";
    }
    if (p.from === cert.prePrepare.from) {
      return "the primary does not send prepares";
    }
  }
  return undefined;
}

function validateNewView(m: NewView): string | undefined {
  if (!isCount(m.view, 1)) {
    return "bad view";
  }
  if (m.viewChanges.length > MAX_QUORUM_ENTRIES || m.prePrepares.length > MAX_CERT_ENTRIES) {
    return "too many entries";
  }
  if (!ascendingSenders(m.viewChanges)) {
    return "view changes not in sender order";
  }
  for (const vc of m.viewChanges) {
    if (vc.message.newView !== m.view) {
      return "view change for another view";
    }
    const why = validateBasic(vc.message);
    if (why !== undefined) {
      return `view change: ${why}`;
    }
  }
  for (let i = 0; i < m.prePrepares.length; i++) {
    const pp = m.prePrepares[i] as Signed<PrePrepare>;
    const why = validateBasic(pp.message);
    if (why !== undefined) {
      return `pre-prepare: ${why}`;
    }
    if (pp.message.view !== m.view) {
      return "pre-prepare for another view";
    }
    if (i > 0 && pp.message.seq !== (m.prePrepares[i - 1] as Signed<PrePrepare>).message.seq + 1) {
      return "pre-prepares must cover consecutive sequence numbers";
    }
  }
  return undefined;
}

function validateBlocks(m: Blocks): string | undefined {
  if (m.certificates.length === 0 || m.certificates.length > MAX_BLOCKS_PER_MESSAGE) {
    return "block count out of range";
  }
  let prevSeq = -1;
  for (const cert of m.certificates) {
    const first = cert[0];
    if (first === undefined || cert.length > MAX_QUORUM_ENTRIES) {
      return "empty or oversized commit certificate";
    }
    if (!ascendingSenders(cert)) {
      return "commits not in sender order";
    }
    for (const c of cert) {
      if (validateBasic(c.message) !== undefined || !sameSlot(c.message, first.message)) {
        return "commits do not match";
      }
    }
    if (prevSeq >= 0 && first.message.seq !== prevSeq + 1) {
      return "blocks must be consecutive";
    }
    prevSeq = first.message.seq;
  }
  return undefined;
}

/** The unsigned attachments must be exactly the batches the signed digests name, in order. */
export function validateAttachments(e: Envelope): string | undefined {
  const m = e.message;
  const expected: Digest[] = [];
  switch (m.type) {
    case "pre-prepare":
      expected.push(m.digest);
      break;
    case "view-change":
      for (const c of m.prepared) {
        expected.push(c.prePrepare.message.digest);
      }
      break;
    case "new-view":
      for (const pp of m.prePrepares) {
        expected.push(pp.message.digest);
      }
      break;
    case "blocks":
      for (const c of m.certificates) {
        expected.push((c[0] as Signed<Commit>).message.digest);
      }
      break;
    default:
      break;
  }
  if (e.batches.length !== expected.length) {
    return `expected ${expected.length} batches, got ${e.batches.length}`;
  }
  for (let i = 0; i < expected.length; i++) {
    if (!digestsEqual(batchDigest(e.batches[i] as Batch), expected[i] as Digest)) {
      return `batch ${i} does not match its digest`;
    }
  }
  return undefined;
}
