/**
 * Quorum rules on certificates: the checks that need the committee (n, f,
 * who is primary) but no replica state. Signatures and shapes were already
 * checked at the boundary (envelope.ts, messages.ts validateBasic).
 */
import { type Batch, NULL_DIGEST } from "./batch.ts";
import type { Committee } from "./committee.ts";
import { compareBytes, type Digest } from "./hash.ts";
import type { Checkpoint, Commit, PreparedCertificate, Signed, ViewChange } from "./messages.ts";
import type { PrimarySelector } from "./primary.ts";

/**
 * PBFT §4.2: prepared = pre-prepare from the primary of its view + 2f matching prepares from distinct
 * backups. Under SE-Random (`selector` undefined) the proposer of an old sequence number depends on a
 * beacon this replica may not have yet, so the signer is not checked: the 2f prepares, none from the
 * signer (validateBasic), hold f correct replicas that accepted the pre-prepare only from its proposer.
 */
export function checkPreparedCertificate(
  cert: PreparedCertificate,
  committee: Committee,
  selector: PrimarySelector | undefined,
): string | undefined {
  const pp = cert.prePrepare;
  if (selector !== undefined && pp.from !== selector.primary(pp.message.view)) {
    return "pre-prepare not signed by the primary of its view";
  }
  // Distinct senders and matching (v, n, d) were enforced by validateBasic.
  if (cert.prepares.length < 2 * committee.f) {
    return "fewer than 2f prepares";
  }
  return undefined;
}

/** PBFT §4.3: a checkpoint is stable with 2f + 1 matching CHECKPOINT messages from distinct replicas. */
export function checkCheckpointProof(proof: readonly Signed<Checkpoint>[], committee: Committee): string | undefined {
  return proof.length >= committee.quorum ? undefined : "fewer than 2f + 1 checkpoint messages";
}

/** A block is committed when 2f + 1 replicas sent COMMIT for (v, n, d): at least f + 1 of them are correct and prepared it. */
export function checkCommitCertificate(cert: readonly Signed<Commit>[], committee: Committee): string | undefined {
  return cert.length >= committee.quorum ? undefined : "fewer than 2f + 1 commits";
}

/** PBFT §4.4: a VIEW-CHANGE is valid if C proves its checkpoint and every entry of P is a prepared certificate. */
export function checkViewChange(
  vc: ViewChange,
  committee: Committee,
  selector: PrimarySelector | undefined,
): string | undefined {
  const { checkpointInterval: k, watermarkWindow: l } = committee.params;
  if (vc.stableSeq % k !== 0) {
    return "stable checkpoint not at a checkpoint height";
  }
  if (vc.stableSeq > 0) {
    const why = checkCheckpointProof(vc.checkpointProof, committee);
    if (why !== undefined) {
      return why;
    }
  }
  for (const cert of vc.prepared) {
    if (cert.prePrepare.message.seq > vc.stableSeq + l) {
      return "prepared certificate above the high watermark";
    }
    const why = checkPreparedCertificate(cert, committee, selector);
    if (why !== undefined) {
      return why;
    }
  }
  return undefined;
}

export interface NewViewEntry {
  readonly seq: number;
  readonly digest: Digest;
  /** Where the batch comes from: index of the view change in V and of the certificate in its P; none for null. */
  readonly source: { readonly vc: number; readonly cert: number } | undefined;
}

export interface NewViewPlan {
  /** min-s: the latest stable checkpoint in V. */
  readonly minS: number;
  /** max-s: the highest sequence number in a prepared certificate in V (at least min-s). */
  readonly maxS: number;
  /** O: one entry per n in (min-s, max-s]. */
  readonly entries: readonly NewViewEntry[];
}

/**
 * PBFT §4.4, the new primary's computation of O (and the backups' check of
 * it): for each n between min-s and max-s, the digest of the prepared
 * certificate with the highest view among V, or the null request if none.
 * Deterministic: ties (impossible with at most f faults) break on the digest.
 */
export function planNewView(viewChanges: readonly ViewChange[]): NewViewPlan {
  let minS = 0;
  for (const vc of viewChanges) {
    minS = Math.max(minS, vc.stableSeq);
  }
  const best = new Map<number, { view: number; digest: Digest; vc: number; cert: number }>();
  let maxS = minS;
  viewChanges.forEach((vc, vi) => {
    vc.prepared.forEach((cert, ci) => {
      const pp = cert.prePrepare.message;
      if (pp.seq <= minS) {
        return;
      }
      maxS = Math.max(maxS, pp.seq);
      const cur = best.get(pp.seq);
      if (
        cur === undefined ||
        pp.view > cur.view ||
        (pp.view === cur.view && compareBytes(pp.digest, cur.digest) < 0)
      ) {
        best.set(pp.seq, { view: pp.view, digest: pp.digest, vc: vi, cert: ci });
      }
    });
  });
  const entries: NewViewEntry[] = [];
  for (let n = minS + 1; n <= maxS; n++) {
    const b = best.get(n);
    entries.push(
      b === undefined
        ? { seq: n, digest: NULL_DIGEST, source: undefined }
        : { seq: n, digest: b.digest, source: { vc: b.vc, cert: b.cert } },
    );
  }
  return { minS, maxS, entries };
}

/** The batch for an O entry, taken from the attachments of the view change that proved it. */
export function entryBatch(entry: NewViewEntry, vcBatches: readonly (readonly Batch[])[]): Batch {
  if (entry.source === undefined) {
    return [];
  }
  const batch = vcBatches[entry.source.vc]?.[entry.source.cert];
  if (batch === undefined) {
    throw new Error("view change attachments out of step with its certificates");
  }
  return batch;
}
