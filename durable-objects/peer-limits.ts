/**
 * Limits on what one peer link may send (docs/OPERATING.md, "Peer links"):
 * no message larger than the largest one an honest replica of this
 * committee can send, and a token bucket of frames per peer. Every message is
 * signed, so these do not decide what is true; they bound the work a
 * validator (or whoever holds its key) can make another one do.
 */
import type { Committee } from "../src/consensus/index.ts";

const SIGNATURE = 64;
/** type u8 || from u16: the head of every signed part (encoding.ts). */
const HEAD = 3;
/** The largest fixed-size embedded message: a checkpoint (u64 seq, two digests), signed. */
const SMALL_SIGNED = HEAD + 8 + 32 + 32 + SIGNATURE;
/** pre-prepare, prepare, commit: view, seq, digest, signed. */
const PHASE_SIGNED = HEAD + 8 + 8 + 32 + SIGNATURE;
const COUNT = 2;

/**
 * The most bytes an envelope of this committee can take, from the encoding
 * (encoding.ts: signed part || signature || u16 count || batches): a NEW-VIEW
 * carrying a full window of pre-prepares and their batches, each VIEW-CHANGE
 * in it carrying a full window of prepared certificates; or a BLOCKS reply of
 * `maxBlocksPerResponse` full blocks; or a forwarded REQUEST of
 * `maxRequestBytes`. Lists are counted at n entries where PBFT needs 2f + 1, so the
 * bound is generous, never short: cutting an honest frame would stall consensus.
 */
export function maxMessageBytes(committee: Committee): number {
  const { n, params: p } = committee;
  const window = p.watermarkWindow;
  const batch = 4 + 4 * p.maxBatchRequests + p.maxBatchBytes;
  const quorumList = COUNT + n * PHASE_SIGNED;
  const viewChange = HEAD + 16 + COUNT + n * SMALL_SIGNED + COUNT + window * (PHASE_SIGNED + quorumList) + SIGNATURE;
  const newView = HEAD + 8 + COUNT + n * viewChange + COUNT + window * PHASE_SIGNED + SIGNATURE;
  const blocks = HEAD + COUNT + p.maxBlocksPerResponse * quorumList + SIGNATURE;
  const request = HEAD + 4 + p.maxRequestBytes + SIGNATURE;
  const batches = (count: number) => COUNT + count * batch;
  return Math.max(newView + batches(window), blocks + batches(p.maxBlocksPerResponse), request + batches(0));
}

export type FrameRate = {
  /** Frames a link may send at once after being quiet. */
  readonly burst: number;
  /** Frames per second it may keep up. */
  readonly perSecond: number;
};

/**
 * A replica sends a peer a few messages per batch (pre-prepare, prepare,
 * commit, forwarded requests) and a STATUS per `statusInterval`; at 20 ms
 * batches that is a few hundred frames a second under full load.
 */
export const PEER_FRAME_RATE: FrameRate = { burst: 4_000, perSecond: 2_000 };

export type FrameVerdict = "accept" | "drop" | "disconnect";

type Bucket = { tokens: number; at: number; dropped: number };

/**
 * One token bucket per peer index (not per socket, so reconnecting does not
 * refill it). A frame costs a token, also when dropped: a peer that keeps
 * sending while empty sinks below zero, and one a whole burst below zero is
 * far over its rate and is cut off.
 */
export class PeerRateLimits {
  readonly #rate: FrameRate;
  readonly #buckets = new Map<number, Bucket>();

  constructor(rate: FrameRate) {
    this.#rate = rate;
  }

  admit(peer: number, now: number): FrameVerdict {
    const { burst, perSecond } = this.#rate;
    const bucket = this.#buckets.get(peer) ?? { tokens: burst, at: now, dropped: 0 };
    this.#buckets.set(peer, bucket);
    bucket.tokens = Math.min(burst, bucket.tokens + (Math.max(0, now - bucket.at) * perSecond) / 1000);
    bucket.at = Math.max(bucket.at, now);
    bucket.tokens -= 1;
    if (bucket.tokens >= 0) {
      return "accept";
    }
    bucket.dropped += 1;
    return bucket.tokens < -burst ? "disconnect" : "drop";
  }

  /** Frames dropped from `peer` since this replica started. */
  dropped(peer: number): number {
    return this.#buckets.get(peer)?.dropped ?? 0;
  }
}
