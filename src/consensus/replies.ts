/**
 * Telling a client "committed". PBFT §4.1: the client waits for f + 1 replies
 * with the same result from different replicas, since at least one of them is
 * correct. `ReplyQuorum` applies that rule to the `committed` notifications
 * the API receives from replicas; `checkCommitProof` is the single-replica
 * alternative: a commit certificate (2f + 1 signed COMMITs) proves the block.
 */
import { type Batch, batchDigest, requestDigest } from "./batch.ts";
import { checkCommitCertificate } from "./certificates.ts";
import type { Committee, ReplicaId } from "./committee.ts";
import { encodeSignedPart, signingPayload } from "./encoding.ts";
import { type Digest, digestKey, digestsEqual } from "./hash.ts";
import { type Commit, type Signed, validateBasic } from "./messages.ts";
import type { Verifier } from "./signing.ts";

export interface CommitNotice {
  readonly replica: ReplicaId;
  readonly seq: number;
  readonly digest: Digest;
  readonly batch: Batch;
}

export interface ConfirmedRequest {
  readonly request: Digest;
  readonly seq: number;
}

/** Collects committed notices; a request is confirmed once f + 1 replicas report the same block holding it. */
export class ReplyQuorum {
  private readonly weak: number;
  /** "seq/blockDigest" -> replicas that reported it */
  private readonly votes = new Map<string, Set<ReplicaId>>();
  private readonly confirmed = new Set<string>();

  constructor(committee: Committee) {
    this.weak = committee.weakQuorum;
  }

  /** Returns the requests that became confirmed with this notice. */
  observe(notice: CommitNotice): ConfirmedRequest[] {
    const key = `${notice.seq}/${digestKey(notice.digest)}`;
    if (this.confirmed.has(key)) {
      return [];
    }
    // The digest binds the batch: a replica cannot claim a block holding other requests.
    if (!digestsEqual(batchDigest(notice.batch), notice.digest)) {
      return [];
    }
    const voters = this.votes.get(key) ?? new Set<ReplicaId>();
    voters.add(notice.replica);
    this.votes.set(key, voters);
    if (voters.size < this.weak) {
      return [];
    }
    this.confirmed.add(key);
    this.votes.delete(key);
    return notice.batch.map((r) => ({ request: requestDigest(r), seq: notice.seq }));
  }
}

/** Verifies that `batch` was committed at `seq`: 2f + 1 distinct, correctly signed COMMITs for its digest. */
export function checkCommitProof(
  seq: number,
  batch: Batch,
  certificate: readonly Signed<Commit>[],
  committee: Committee,
  verifier: Verifier,
): string | undefined {
  const digest = batchDigest(batch);
  const why = checkCommitCertificate(certificate, committee);
  if (why !== undefined) {
    return why;
  }
  let prev = -1;
  for (const c of certificate) {
    if (c.from <= prev || c.from >= committee.n) {
      return "commits not from distinct validators in order";
    }
    prev = c.from;
    if (validateBasic(c.message) !== undefined || c.message.seq !== seq || !digestsEqual(c.message.digest, digest)) {
      return "commit does not match the block";
    }
    if (c.message.view !== (certificate[0] as Signed<Commit>).message.view) {
      return "commits from different views";
    }
    const payload = signingPayload(committee.genesisHash, encodeSignedPart(c.from, c.message));
    if (!verifier.verify(c.from, payload, c.signature)) {
      return `bad signature by ${c.from}`;
    }
  }
  return undefined;
}
